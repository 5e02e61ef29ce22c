import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { errors, importPKCS8, importSPKI, jwtVerify, SignJWT } from 'jose';
import { AppError } from '@forum/errors';

/**
 * Access tokens are JWTs signed with Ed25519: the users service holds the private key and signs,
 * every service holds the public key and checks, so no service but users can mint a token and no
 * request needs a call to users to be authenticated.
 */
const ALGORITHM = 'EdDSA';
const ISSUER = 'urn:forum:users';
const AUDIENCE = 'urn:forum:api';
/** Clock skew allowed between the task that signed and the task that checks. */
const CLOCK_TOLERANCE_S = 5;

export interface AccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
}

export interface TokenIssuerOptions {
  privateKeyPem: string;
  ttlSeconds: number;
  now?: () => number;
}

export async function tokenIssuer({ privateKeyPem, ttlSeconds, now = Date.now }: TokenIssuerOptions) {
  const key = await importPKCS8(privateKeyPem, ALGORITHM);
  return {
    issue: async (userId: number, ttl = ttlSeconds): Promise<AccessToken> => {
      const issuedAt = Math.floor(now() / 1000);
      const accessToken = await new SignJWT({})
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttl)
        .sign(key);
      return { accessToken, tokenType: 'Bearer', expiresIn: ttl };
    },
  };
}

export type TokenIssuer = Awaited<ReturnType<typeof tokenIssuer>>;

/** Tokens whose signature and claims were checked, remembered until they stop being valid. */
const VERIFIED_TOKENS = 10000;

/**
 * `maxLifetimeSeconds` is the lifetime the issuer gives tokens (AUTH_TOKEN_TTL_SECONDS): a token
 * issued in the future, older than that, or meant to live longer is refused, as is a subject that
 * is not a safe integer (it would be rounded to another user's id).
 *
 * A token that passed is remembered (the last 10,000) until its expiry or its maximum age, the
 * two checks that depend on the clock: checking an Ed25519 signature costs more than the rest of
 * a signed-in request, and a client sends the same token with every request. Refusals are not
 * remembered.
 */
export async function tokenVerifier(publicKeyPem: string, maxLifetimeSeconds: number, now: () => number = Date.now) {
  const key = await importSPKI(publicKeyPem, ALGORITHM);
  const verified = new Map<string, { userId: number; untilS: number }>();
  const check = async (token: string): Promise<number> => {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: CLOCK_TOLERANCE_S,
        maxTokenAge: maxLifetimeSeconds, // also refuses an iat in the future beyond the tolerance
        currentDate: new Date(now()),
      });
      const { iat = 0, exp = Infinity, sub = '' } = payload;
      if (exp - iat > maxLifetimeSeconds) throw new errors.JWTClaimValidationFailed('lives too long', payload, 'exp');
      const userId = /^[1-9]\d{0,15}$/.test(sub) ? Number(sub) : NaN;
      if (!Number.isSafeInteger(userId)) throw new errors.JWTClaimValidationFailed('bad subject', payload, 'sub');
      if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value as string);
      verified.set(token, { userId, untilS: Math.min(exp, iat + maxLifetimeSeconds) + CLOCK_TOLERANCE_S });
      return userId;
    } catch (cause) {
      if (cause instanceof errors.JWTExpired) throw invalidToken('The access token has expired', cause);
      throw invalidToken('The access token is not valid', cause);
    }
  };
  return {
    /** The user id the token was issued to; 401 when it is malformed, forged, expired or not ours. */
    verify: (token: string): Promise<number> => {
      const known = verified.get(token);
      if (known && now() / 1000 < known.untilS) return Promise.resolve(known.userId);
      if (known) verified.delete(token);
      return check(token);
    },
  };
}

export type TokenVerifier = Awaited<ReturnType<typeof tokenVerifier>>;

/** The public key of a private key, both PEM: what the other services are given. */
export const publicKeyOf = (privateKeyPem: string): string => createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();

/** A new Ed25519 key pair as PEM (npm start's development key, tests). */
export function generateTokenKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** No (usable) credentials: sign in first. */
export const authenticationRequired = (detail: string, cause?: unknown): AppError => new AppError('unauthorized', detail, { cause });

/** The token itself is wrong (forged, expired, malformed claims). */
const invalidToken = (detail: string, cause: unknown): AppError => new AppError('unauthorized', detail, { cause, credentialError: 'invalid_token' });

/** The environment a service process reads its token keys from (each takes the one it needs). */
export const tokenKeyEnv = (keys: { privateKeyPem: string; publicKeyPem: string }) => ({
  AUTH_PRIVATE_KEY: keys.privateKeyPem,
  AUTH_PUBLIC_KEY: keys.publicKeyPem,
});
