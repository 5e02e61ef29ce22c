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
