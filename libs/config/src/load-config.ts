import { z } from 'zod';

/** A configuration schema: one entry per environment variable, each with a doc (`.describe`). */
export type ConfigSpec = Record<string, z.ZodType>;
export type ConfigOf<S extends ConfigSpec> = { [K in keyof S]: z.output<S[K]> };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the environment once, at start-up (runService calls it). It is the only
 * reader of `process.env` in service code, apps/<service>/src and libs/<lib>/src, which a lint
 * rule holds; the services receive the typed result. Test helpers (@forum/testing reads
 * TEST_LOG_LEVEL and FUZZ_RUNS, @forum/db/testing DATABASE_URL), the e2e stack and tools read
 * their own variables.
 */
export function loadConfig<S extends ConfigSpec>(spec: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const input: Record<string, string | undefined> = {};
  for (const name of Object.keys(spec)) {
    const raw = env[name];
    input[name] = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  }
  const result = z.object(spec).safeParse(input);
  if (result.success) return result.data as ConfigOf<S>;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const got = input[name] === undefined ? 'it is not set' : `got ${JSON.stringify(input[name])}`;
      return `${name}: ${issue.message} (${got})`;
    }),
  );
}

/** The documentation of every entry, for `.env.example` and `--help` style output. */
export function describeConfig(spec: ConfigSpec): { name: string; doc: string; default?: unknown }[] {
  return Object.entries(spec).map(([name, schema]) => {
    const parsed = schema.safeParse(undefined);
    return { name, doc: schema.description ?? '', ...(parsed.success && parsed.data !== undefined ? { default: parsed.data } : {}) };
  });
}

/** Names of the spec's variables that a `.env.example` text does not mention. */
export function undocumented(spec: ConfigSpec, envExample: string): string[] {
  const documented = new Set([...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
  return Object.keys(spec).filter((name) => !documented.has(name));
}
