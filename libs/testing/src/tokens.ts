import { generateTokenKeys, tokenIssuer, tokenVerifier, type TokenIssuer, type TokenVerifier } from '@forum/auth';

/** One key pair per test process: tokens signed here are checked by the apps under test for real. */
const keys = generateTokenKeys();
let tokens: Promise<{ issuer: TokenIssuer; verifier: TokenVerifier }> | undefined;

export const testTokenKeys = keys;

/** The issuer and verifier the apps under test are built with. */
export function testTokens(): Promise<{ issuer: TokenIssuer; verifier: TokenVerifier }> {
  tokens ??= (async () => ({
    issuer: await tokenIssuer({ privateKeyPem: keys.privateKeyPem, ttlSeconds: 600 }),
    verifier: await tokenVerifier(keys.publicKeyPem, 600),
  }))();
  return tokens;
}

/** `Authorization` header of a valid token of this user. */
export async function authAs(userId: number): Promise<{ Authorization: string }> {
  return { Authorization: `Bearer ${(await (await testTokens()).issuer.issue(userId)).accessToken}` };
}

/** `Authorization` header of a token of this user that expired an hour ago. */
export async function expiredAuthAs(userId: number): Promise<{ Authorization: string }> {
  const hourAgo = Date.now() - 3600_000;
  const issuer = await tokenIssuer({ privateKeyPem: keys.privateKeyPem, ttlSeconds: 60, now: () => hourAgo });
  return { Authorization: `Bearer ${(await issuer.issue(userId)).accessToken}` };
}
