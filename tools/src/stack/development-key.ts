import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateTokenKeys, publicKeyOf, tokenKeyEnv } from '@forum/auth';

const KEY_FILE = 'development-token-key.pem';

/**
 * The token keys of the local stack: the environment's own when it sets AUTH_PRIVATE_KEY, else a
 * development key made once and kept beside the SQLite files, so tokens outlive a restart.
 */
export function developmentTokenKeyEnv(dataDir: string, env: NodeJS.ProcessEnv): { AUTH_PRIVATE_KEY: string; AUTH_PUBLIC_KEY: string } {
  const given = env['AUTH_PRIVATE_KEY']?.replace(/\\n/g, '\n');
  if (given) return tokenKeyEnv({ privateKeyPem: given, publicKeyPem: publicKeyOf(given) });
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, generateTokenKeys().privateKeyPem, { mode: 0o600 });
  }
  const privateKeyPem = readFileSync(file, 'utf8');
  return tokenKeyEnv({ privateKeyPem, publicKeyPem: publicKeyOf(privateKeyPem) });
}
