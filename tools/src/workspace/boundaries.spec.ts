import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createProjectGraphAsync } from '@nx/devkit';

const root = resolve(__dirname, '../../..');

/** Lints `code` as if it were saved at `filePath`, with the workspace's ESLint config; the messages of `ruleId`. */
async function boundaryErrors(filePath: string, code: string, ruleId = '@nx/enforce-module-boundaries'): Promise<string[]> {
  const eslint = spawnSync(
    process.execPath,
    [resolve(root, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '--stdin', '--stdin-filename', filePath],
    {
      cwd: root,
      input: code,
      encoding: 'utf8',
    },
  );
  const [result] = JSON.parse(eslint.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === ruleId).map((m) => m.message);
}

describe('module boundaries', () => {
  beforeAll(async () => {
    process.env['NX_DAEMON'] = 'false';
    await createProjectGraphAsync(); // the lint rule reads the cached project graph
  }, 60000);

  it('when a service imports another service, then lint fails', async () => {
    const errors = await boundaryErrors(
      'apps/posts/src/x.ts',
      "import { usersService } from '../../users/src/users/users.service';\nexport const s = usersService;\n",
    );
    expect(errors.join('\n')).toMatch(/scope:posts|Projects cannot be imported by a relative or absolute path/);
  });

  it('when a lib imports a service, then lint fails', async () => {
    const errors = await boundaryErrors(
      'libs/http/src/x.ts',
      "import { createApp } from '../../../apps/users/src/app';\nexport const a = createApp;\n",
    );
    expect(errors).not.toEqual([]);
  });

  it('when service code imports the test helpers, then lint fails; its tests may', async () => {
    const code = "import { testLogger } from '@forum/testing';\nexport const l = testLogger;\n";
    expect(await boundaryErrors('apps/users/src/x.ts', code)).not.toEqual([]);
    expect(await boundaryErrors('apps/users/src/x.spec.ts', code)).toEqual([]);
  });

  it('when production code imports the test databases, then lint fails; specs may', async () => {
    const code = "import { createTestTarget } from '@forum/db/testing';\nexport const t = createTestTarget;\n";
    expect(await boundaryErrors('libs/db/src/x.ts', code)).toEqual([
      'A project tagged with "type:lib" can only depend on libs tagged with "type:lib"',
    ]);
    expect(await boundaryErrors('apps/users/src/x.ts', code)).toEqual([
      'A project tagged with "type:app" can only depend on libs tagged with "type:lib"',
    ]);
    expect(await boundaryErrors('libs/db/src/x.spec.ts', code)).toEqual([]);
    expect(await boundaryErrors('apps/users/src/x.spec.ts', code)).toEqual([]);
  });

  it.each([
    'apps/posts/src/posts/posts.service.ts',
    'apps/users/src/users/users.repository.ts',
    'libs/auth/src/tokens.ts',
    'libs/service-client/src/service-client.ts',
  ])('when %s imports Koa or the HTTP lib, then lint fails; a routes file may', async (file) => {
    const http =
      "import type { Context } from 'koa';\nimport { readBody } from '@forum/http';\nexport const x = (c: Context) => readBody(c, undefined as never);\n";
    const message = 'HTTP belongs to the routes and the app wiring: take domain input, throw AppError.';
    expect(await boundaryErrors(file, http, 'no-restricted-imports')).toEqual([expect.stringContaining(message), expect.stringContaining(message)]);
    expect(await boundaryErrors('apps/posts/src/posts/posts.routes.ts', http, 'no-restricted-imports')).toEqual([]);
  });

  it('when a service imports shared libs, then lint passes', async () => {
    expect(await boundaryErrors('apps/users/src/x.ts', "import { createHttpApp } from '@forum/http';\nexport const c = createHttpApp;\n")).toEqual(
      [],
    );
  });

  it('when service or lib code reads process.env, then lint fails; loadConfig, specs and the test helpers may', async () => {
    const code = "export const port = process.env['PORT'];\n";
    const envErrors = (filePath: string) => boundaryErrors(filePath, code, 'no-restricted-properties');
    const refused = ["'process.env' is restricted from being used. Read the environment through the service config (@forum/config)."];
    expect(await envErrors('apps/users/src/x.ts')).toEqual(refused);
    expect(await envErrors('libs/db/src/x.ts')).toEqual(refused);
    expect(await envErrors('libs/config/src/load-config.ts')).toEqual([]);
    expect(await envErrors('apps/users/src/x.spec.ts')).toEqual([]);
    expect(await envErrors('libs/testing/src/x.ts')).toEqual([]);
    expect(await envErrors('libs/db/testing/src/x.ts')).toEqual([]);
  });
});

describe('tools sub-areas', () => {
  it('when a tools file imports another area, then it goes through tools/src/core only', () => {
    const src = resolve(root, 'tools/src');
    const crossings: string[] = [];
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && f.includes('/'))) {
      const area = file.split('/')[0];
      for (const [, target] of readFileSync(join(src, file), 'utf8').matchAll(/^import [^;]*?from '(\.[^']+)'/gm)) {
        const into = relative(src, resolve(dirname(join(src, file)), target ?? '')).split('/')[0];
        // Test doubles live outside src (tools/test); inside src only core is shared.
        if (into !== area && into !== 'core' && into !== '..') crossings.push(`${file} -> ${target}`);
      }
    }
    expect(crossings).toEqual([]);
  });
});
