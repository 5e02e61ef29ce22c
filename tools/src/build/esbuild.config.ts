// esbuild's options for every project's bundle, beside nx.json's (the `esbuildConfig` of
// `@nx/esbuild:esbuild`). One file that imports only packages: Nx loads it with Node's own
// TypeScript stripping, which resolves no extension-less relative import.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'acorn';
import type { BuildOptions, PartialMessage, Plugin } from 'esbuild';

const NOT_ASCII = /[\u0080-\uFFFF]/;
const NOT_ASCII_ALL = /[\u0080-\uFFFF]/g;

/**
 * The script with each non-ASCII UTF-16 unit inside a comment replaced by `?`, one for one, so that
 * every line keeps its length and a source map its columns. Anything else is kept: esbuild already
 * escapes non-ASCII characters in strings, templates and names, not in comments or regular
 * expression literals, so what is left in code is a literal's and must stay as it is. Throws when
 * the text does not parse as a script.
 */
export function asciiComments(script: string): string {
  if (!NOT_ASCII.test(script)) return script;
  const parts: string[] = [];
  let copied = 0;
  parse(script, {
    ecmaVersion: 'latest',
    sourceType: 'script',
    allowHashBang: true,
    onComment: (_block, text, start, end) => {
      if (!NOT_ASCII.test(text)) return;
      parts.push(script.slice(copied, start), script.slice(start, end).replace(NOT_ASCII_ALL, '?'));
      copied = end;
    },
  });
  parts.push(script.slice(copied));
  return parts.join('');
}

/**
 * Makes every JavaScript file the build writes ASCII outside its literals, for the services' bundles
 * to load as one byte a character (libs/code-cache): a single typographic apostrophe in a dependency's
 * comment makes V8 keep the whole 3-4 MB source two bytes a character. A file that does not parse is
 * left as it is, with a warning: it still runs, decoded as UTF-8.
 */
export const asciiCommentsPlugin: Plugin = {
  name: 'ascii-comments',
  setup(build) {
    build.initialOptions.metafile = true;
    build.onEnd((result) => {
      const warnings: PartialMessage[] = [];
      const outputs = Object.keys(result.metafile?.outputs ?? {}).filter((f) => /\.[cm]?js$/.test(f));
      for (const file of outputs.map((f) => resolve(build.initialOptions.absWorkingDir ?? process.cwd(), f))) {
        const script = readFileSync(file, 'utf8');
        try {
          const ascii = asciiComments(script);
          if (ascii !== script) writeFileSync(file, ascii);
        } catch (error) {
          warnings.push({ text: `${file}: comments left as they are (${(error as Error).message})` });
        }
      }
      return { warnings };
    });
  },
};

const options: BuildOptions = {
  outExtension: { '.js': '.js' },
  legalComments: 'none',
  plugins: [asciiCommentsPlugin],
};

export default options;
