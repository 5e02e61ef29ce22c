import { z } from 'zod';
import { addressRanges } from './address-ranges';

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, { message: 'must be an integer' })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { message: `must be >= ${min}` })
        .max(max, { message: `must be <= ${max}` }),
    );

/** A comma-separated value as its trimmed, non-empty items. */
const commaList = () =>
  z.string().transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** Builders for environment entries; every one takes its doc and, where it has one, its default. */
export const env = {
  integer: (doc: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => int(min, max).default(fallback).describe(doc),
  port: (doc: string, fallback: number) => int(0, 65535).default(fallback).describe(doc),
  string: (doc: string, fallback: string) => z.string().default(fallback).describe(doc),
  optionalString: (doc: string) => z.string().optional().describe(doc),
  url: (doc: string, fallback: string) =>
    z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .default(fallback)
      .transform((u) => u.replace(/\/+$/, ''))
      .describe(doc),
  optionalDatabaseUrl: (doc: string) =>
    z
      .url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// URL' })
      .optional()
      .describe(doc),
  enumeration: <const T extends readonly [string, ...string[]]>(doc: string, values: T, fallback: T[number]) =>
    z
      .enum(values)
      .default(fallback as never)
      .describe(doc),
  boolean: (doc: string, fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
      .transform((v) => v === 'true' || v === '1')
      .default(fallback)
      .describe(doc),
  /** A PEM key; `\n` escapes are accepted so the key fits on one line of an .env file. */
  pem: (doc: string, label: 'PRIVATE KEY' | 'PUBLIC KEY') =>
    z
      .string({ error: `must be a PEM "${label}" (it is required)` })
      .transform((v) => v.replace(/\\n/g, '\n'))
      .pipe(
        z.string().regex(new RegExp(`^-----BEGIN ${label}-----\\n[A-Za-z0-9+/=\\n]+\\n-----END ${label}-----\\n?$`), {
          message: `must be a PEM "${label}" (-----BEGIN ${label}----- ...)`,
        }),
      )
      .describe(doc),
  list: (doc: string, fallback: string[]) => commaList().default(fallback).describe(doc),
  /** Comma-separated address ranges (CIDR); each is checked at start-up. */
  addressRanges: (doc: string, fallback: string[]) =>
    commaList()
      .default(fallback)
      .pipe(
        z.array(z.string()).superRefine((ranges, ctx) => {
          try {
            addressRanges(ranges);
          } catch (error) {
            ctx.addIssue({ code: 'custom', message: `must be comma-separated CIDR ranges: ${(error as Error).message}` });
          }
        }),
      )
      .describe(doc),
};
