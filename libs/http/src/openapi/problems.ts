import { z } from 'zod';
import { problemCatalog, problemTypeUri, type ProblemCode } from '@forum/errors';

const fieldError = z.strictObject({ field: z.string(), code: z.string(), message: z.string() }).meta({ id: 'FieldError' });

/** Problem details (RFC 9457) whose `code` is one of the given codes, all of one status. */
export function problemSchema(codes: ProblemCode[]) {
  const [first, ...rest] = codes;
  if (!first) throw new Error('a problem response needs at least one code');
  return z.strictObject({
    type: z.enum([first, ...rest].map(problemTypeUri) as [string, ...string[]]),
    code: z.enum([first, ...rest]),
    title: z.string(),
    status: z.literal(problemCatalog[first].status),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(fieldError).optional(),
  });
}

/** The codes grouped by their HTTP status, each group in catalogue order. */
export function byStatus(codes: Iterable<ProblemCode>): Map<number, ProblemCode[]> {
  const groups = new Map<number, ProblemCode[]>();
  const wanted = new Set(codes);
  for (const code of Object.keys(problemCatalog) as ProblemCode[]) {
    if (!wanted.has(code)) continue;
    const status = problemCatalog[code].status;
    groups.set(status, [...(groups.get(status) ?? []), code]);
  }
  return new Map([...groups].sort(([a], [b]) => a - b));
}

export const describeProblems = (codes: ProblemCode[]): string => codes.map((code) => `\`${code}\`: ${problemCatalog[code].title}`).join('; ');
