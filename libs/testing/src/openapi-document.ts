import { readFileSync, writeFileSync } from 'node:fs';
import { compileErrors, validate } from '@readme/openapi-parser';

/** Problems @readme/openapi-parser finds in the document (schema and spec rules); empty when valid. */
export async function openApiLint(document: object): Promise<string> {
  const result = await validate(structuredClone(document) as never);
  return result.valid && result.warnings.length === 0 ? '' : compileErrors(result as never) || JSON.stringify(result.warnings);
}

/**
 * The committed copy of a document, to compare the served one with. With OPENAPI_WRITE=1
 * (`npm run openapi`) the served one is written there instead, so a contract change is a
 * reviewed diff of that file.
 */
export function committedDocument(file: string, served: object): unknown {
  const text = `${JSON.stringify(served, null, 2)}\n`;
  if (process.env['OPENAPI_WRITE'] === '1') writeFileSync(file, text);
  return JSON.parse(readFileSync(file, 'utf8'));
}

type ServedDocument = { openapi: string; paths: Record<string, object> };

/**
 * The properties every service's document has, as `it`s: it is the committed copy, it is valid
 * OpenAPI 3.1, and it describes exactly `routes` (`what` says which routes those are).
 */
export function documentProperties(options: {
  service: string;
  committedFile: string;
  served: () => Promise<ServedDocument>;
  routes: string[];
  what?: string;
}): void {
  const { service, committedFile, served, routes } = options;
  it(`when /api/${service}/openapi.json is fetched, then it is the committed apps/${service}/openapi.json (npm run openapi rewrites it)`, async () => {
    const document = await served();
    expect(document).toEqual(committedDocument(committedFile, document));
  });

  it('when the document is validated with @readme/openapi-parser, then it is valid OpenAPI 3.1 without warnings', async () => {
    const document = await served();
    expect(document.openapi).toBe('3.1.0');
    expect(await openApiLint(document)).toBe('');
  });

  it(`when the document is read, then it describes ${options.what ?? 'every route'}`, async () => {
    expect(Object.keys((await served()).paths).sort()).toEqual(routes);
  });
}
