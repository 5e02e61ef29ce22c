import { SignJWT, importPKCS8 } from 'jose';
import { callerOf, ensureOwner } from './caller';
import { generateTokenKeys, publicKeyOf, tokenIssuer, tokenVerifier } from './tokens';

const keys = generateTokenKeys();
const headers = (authorization?: string) => ({ get: (name: string) => (name === 'Authorization' ? (authorization ?? '') : '') });

describe('access tokens', () => {
  it('when a token is issued, then the verifier returns its user id and says how long it lives', async () => {
    const issued = await (await tokenIssuer({ privateKeyPem: keys.privateKeyPem, ttlSeconds: 600 })).issue(42);
    expect(issued).toEqual({ accessToken: expect.stringMatching(/^eyJ/), tokenType: 'Bearer', expiresIn: 600 });
    expect(await (await tokenVerifier(keys.publicKeyPem, 600)).verify(issued.accessToken)).toBe(42);
  });

  it('when the public key is derived from the private key, then it checks the same tokens', async () => {
    expect(publicKeyOf(keys.privateKeyPem)).toBe(keys.publicKeyPem);
  });

  it('when a token has expired, then 401 saying so, naming the token itself as the problem (RFC 6750 invalid_token)', async () => {
    const hourAgo = Date.now() - 3600_000;
    const { accessToken } = await (await tokenIssuer({ privateKeyPem: keys.privateKeyPem, ttlSeconds: 60, now: () => hourAgo })).issue(1);
    const error = await (await tokenVerifier(keys.publicKeyPem, 600)).verify(accessToken).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'The access token has expired' });
    expect(error).toMatchObject({ credentialError: 'invalid_token' });
  });

  it.each([
    ['signed with another key', async () => (await tokenIssuer({ privateKeyPem: generateTokenKeys().privateKeyPem, ttlSeconds: 60 })).issue(1)],
    ['unsigned (alg none)', async () => ({ accessToken: `${b64({ alg: 'none' })}.${b64({ sub: '1', exp: 9e9 })}.` })],
    ['from another issuer', async () => ({ accessToken: await sign({ iss: 'someone-else' }) })],
    ['with a non-numeric subject', async () => ({ accessToken: await sign({ sub: 'admin' }) })],
    ['without an expiry', async () => ({ accessToken: await sign({ exp: undefined }) })],
    ['issued an hour in the future', async () => ({ accessToken: await sign({ iat: nowS() + 3600, exp: nowS() + 3660 }) })],
    ['valid for a century', async () => ({ accessToken: await sign({ exp: nowS() + 100 * 365 * 86400 }) })],
    ['older than the token lifetime, though not yet expired', async () => ({ accessToken: await sign({ iat: nowS() - 700, exp: nowS() + 60 }) })],
    ['for a subject above 2^53, which would round to another id', async () => ({ accessToken: await sign({ sub: '9007199254740993' }) })],
  ])('when a token is %s, then 401', async (_name, make) => {
    const { accessToken } = await make();
    await expect((await tokenVerifier(keys.publicKeyPem, 600)).verify(accessToken)).rejects.toMatchObject({ status: 401 });
  });

  it('when a request has no, a malformed or a valid Authorization header, then 401, 401 or the caller', async () => {
    const caller = callerOf(await tokenVerifier(keys.publicKeyPem, 600));
    const { accessToken } = await (await tokenIssuer({ privateKeyPem: keys.privateKeyPem, ttlSeconds: 60 })).issue(7);
    await expect(caller(headers())).rejects.toMatchObject({ status: 401, credentialError: undefined });
    await expect(caller(headers(`Basic ${accessToken}`))).rejects.toMatchObject({ status: 401 });
    await expect(caller(headers('Bearer not-a-jwt'))).rejects.toMatchObject({ status: 401 });
    expect(await caller(headers(`Bearer ${accessToken}`))).toBe(7);
    expect(await caller(headers(`bearer  ${accessToken}`))).toBe(7);
  });

  it('when a token was issued within the clock skew ahead, with the configured lifetime, then it is accepted', async () => {
    const verifier = await tokenVerifier(keys.publicKeyPem, 600);
    expect(await verifier.verify(await sign({ iat: nowS() + 3, exp: nowS() + 603 }))).toBe(1);
    expect(await verifier.verify(await sign({ sub: '9007199254740991', exp: nowS() + 600 }))).toBe(9007199254740991);
  });

  it('when a token that passed is checked again after its expiry or its maximum age, then 401 (a remembered token is not believed forever)', async () => {
    let clock = Date.now();
    const verifier = await tokenVerifier(keys.publicKeyPem, 600, () => clock);
    const shortLived = await sign({ exp: nowS() + 60 });
    const longLived = await sign({ iat: nowS() - 300, exp: nowS() + 300 });
    expect(await verifier.verify(shortLived)).toBe(1);
    expect(await verifier.verify(longLived)).toBe(1);
    clock += 64_000; // within the 5 s clock tolerance of the expiry
    expect(await verifier.verify(shortLived)).toBe(1);
    clock += 2_000;
    await expect(verifier.verify(shortLived)).rejects.toMatchObject({ status: 401, message: 'The access token has expired' });
    clock += 300_000; // the long-lived one is now 666 s old: past the 600 s lifetime and the tolerance
    await expect(verifier.verify(longLived)).rejects.toMatchObject({ status: 401 });
  });

  it('when a token carries the claims of one that passed but a forged signature, then 401 each time (a token is remembered whole, signature included)', async () => {
    const verifier = await tokenVerifier(keys.publicKeyPem, 600);
    const good = await sign({});
    const [header, payload] = good.split('.');
    const forged = `${header}.${payload}.${Buffer.alloc(64).toString('base64url')}`;
    expect(await verifier.verify(good)).toBe(1);
    await expect(verifier.verify(forged)).rejects.toMatchObject({ status: 401 });
    await expect(verifier.verify(forged)).rejects.toMatchObject({ status: 401 });
  });

  it('when the caller is not the owner, then 403', () => {
    expect(() => ensureOwner(1, 1, 'x')).not.toThrow();
    expect(() => ensureOwner(1, 2, 'Only its author may change it')).toThrow(expect.objectContaining({ status: 403, code: 'forbidden' }));
  });
});

const nowS = () => Math.floor(Date.now() / 1000);

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function sign(claims: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const all: Record<string, unknown> = { sub: '1', iss: 'urn:forum:users', aud: 'urn:forum:api', iat: now, exp: now + 60, ...claims };
  const payload = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA' }).sign(await importPKCS8(keys.privateKeyPem, 'EdDSA'));
}
