import { parseArgs } from 'node:util';

/**
 * One shape for every tools command: a spec of its options (each with a type, a doc and a
 * default), parsed and validated by `parseCommand` and printed by `usageOf`, so no command parses
 * arguments its own way.
 */
export type OptionSpec =
  | { type: 'string'; doc: string; default?: string; required?: boolean; placeholder?: string }
  | { type: 'list'; doc: string; placeholder?: string }
  | { type: 'boolean'; doc: string }
  | { type: 'number'; doc: string; default?: number; min: number; max: number; integer?: boolean; unit?: string };

type ValueOf<S extends OptionSpec> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'list' }
    ? string[]
    : S extends { type: 'number' }
      ? S extends { default: number }
        ? number
        : number | undefined
      : S extends { default: string } | { required: true }
        ? string
        : string | undefined;

export type Values<O extends Record<string, OptionSpec>> = { [K in keyof O]: ValueOf<O[K]> };

export interface Command<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  name: string;
  /** One line in the list of commands. */
  summary: string;
  /** What the command does, printed under its usage line. */
  description?: string;
  /** At most one positional argument, e.g. a folder or a URL. */
  positional?: { name: string; doc: string; required?: boolean };
  options: O;
  run(values: Values<O>, positional: string | undefined): Promise<void>;
}

/** Keeps the option spec's literal types for `run`. */
export const defineCommand = <O extends Record<string, OptionSpec>>(command: Command<O>): Command<O> => command;

/** A wrong command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}
/** A failure a person can act on: printed as its message alone, exit code 1. */
export class ToolError extends Error {}

export function parseCommand<O extends Record<string, OptionSpec>>(
  command: Command<O>,
  args: string[],
): { help: true } | { help: false; values: Values<O>; positional: string | undefined } {
  const options = Object.fromEntries(
    Object.entries(command.options).map(
      ([name, spec]) => [name, { type: spec.type === 'boolean' ? 'boolean' : 'string', multiple: spec.type === 'list' }] as const,
    ),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: command.positional !== undefined,
    });
  } catch (error) {
    const unknown =
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'([^']+)'/.exec((error as Error).message)?.[1] : undefined;
    throw new UsageError(unknown ? `unknown option ${unknown}` : (error as Error).message);
  }
  if (parsed.values['help']) return { help: true };
  if (parsed.positionals.length > 1) throw new UsageError(`one ${command.positional?.name} only (got ${parsed.positionals.join(' ')})`);
  const positional = parsed.positionals[0];
  if (command.positional?.required && positional === undefined) throw new UsageError(`missing <${command.positional.name}>`);
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(command.options)) {
    const raw = parsed.values[name];
    if (spec.type === 'boolean') values[name] = raw === true;
    else if (spec.type === 'list') values[name] = (raw as string[] | undefined) ?? [];
    else if (spec.type === 'number') values[name] = raw === undefined ? spec.default : numberOption(name, String(raw), spec);
    else {
      values[name] = (raw as string | undefined) ?? spec.default;
      if (spec.required && !values[name]) missing.push(`--${name}`);
    }
  }
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')}`);
  return { help: false, values: values as Values<O>, positional };
}

/** A plain decimal within its range: NaN, Infinity, exponents, '' and out-of-range values are refused. */
function numberOption(name: string, raw: string, spec: Extract<OptionSpec, { type: 'number' }>): number {
  const value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= spec.min && value <= spec.max) || (spec.integer && !Number.isInteger(value))) {
    throw new UsageError(
      `--${name} must be ${spec.integer ? 'a whole number' : 'a number'}${spec.unit ? ` of ${spec.unit}` : ''} from ${spec.min} to ${spec.max} (got "${raw}")`,
    );
  }
  return value;
}

export function usageOf(command: Command): string {
  const placeholder = (name: string, spec: OptionSpec) =>
    spec.type === 'boolean' ? '' : ` <${('placeholder' in spec && spec.placeholder) || (spec.type === 'number' ? 'n' : name)}>`;
  const rows = Object.entries(command.options).map(([name, spec]) => {
    const fallback = 'default' in spec && spec.default !== undefined ? ` [${spec.default}]` : spec.type === 'list' ? ' (repeatable)' : '';
    const range = spec.type === 'number' ? ` (${spec.min}-${spec.max}${spec.unit ? ` ${spec.unit}` : ''})` : '';
    return [`--${name}${placeholder(name, spec)}`, `${spec.doc}${range}${fallback}`];
  });
  if (command.positional)
    rows.unshift([`<${command.positional.name}>`, `${command.positional.doc}${command.positional.required ? '' : ' (optional)'}`]);
  const width = Math.max(0, ...rows.map(([flag]) => flag?.length ?? 0));
  const line = `Usage: node dist/tools/main.js ${command.name}${command.positional ? ` ${command.positional.required ? `<${command.positional.name}>` : `[${command.positional.name}]`}` : ''}${Object.keys(command.options).length > 0 ? ' [options]' : ''}`;
  return [line, '', command.description ?? command.summary, '', ...rows.map(([flag, doc]) => `  ${(flag ?? '').padEnd(width)}  ${doc}`), ''].join(
    '\n',
  );
}

/** Parses `args` for `command` and runs it, or prints its usage for --help. */
export async function runCommand<O extends Record<string, OptionSpec>>(command: Command<O>, args: string[]): Promise<void> {
  const parsed = parseCommand(command, args);
  if (parsed.help) process.stdout.write(usageOf(command as unknown as Command));
  else await command.run(parsed.values, parsed.positional);
}
