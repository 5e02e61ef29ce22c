import { z } from 'zod';
import { validationFailed, type FieldError } from '@forum/errors';

/**
 * A text field: trimmed length bounds, and no characters that a database cannot store or
 * return byte-for-byte (NUL, unpaired UTF-16 surrogates).
 */
export const textField = (min: number, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .refine((v) => !v.includes('\u0000'), { message: 'must not contain NUL characters' })
    .refine((v) => v.isWellFormed(), { message: 'must be well-formed Unicode' })
    .refine((v) => v.trim().length >= min, { message: min === 1 ? 'must not be empty' : `must have at least ${min} characters` })
    .refine((v) => v.length <= max, { message: `must have at most ${max} characters` })
    // Refinements do not reach JSON Schema; the OpenAPI documents show the bounds from here.
    .meta({ minLength: min, maxLength: max, description: `${min} to ${max} characters once trimmed; no NUL` });

/** A reference to another resource's id in a body: a positive integer. */
export const idField = () =>
  z
    .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a positive integer') })
    .int({ message: 'must be a positive integer' })
    .positive({ message: 'must be a positive integer' })
    .max(Number.MAX_SAFE_INTEGER, { message: 'must be a positive integer' });

const ID_PATTERN = /^[1-9][0-9]{0,15}$/;

/** The id a text names (a positive safe integer without sign, zeros or exponent), or undefined. */
export function parseId(raw: string | undefined): number | undefined {
  const id = raw !== undefined && ID_PATTERN.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(id) ? id : undefined;
}

/** Validates input against a schema, turning every issue into a field error (400). */
export function validate<S extends z.ZodType>(schema: S, input: unknown, location?: 'query'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationFailed(result.error.issues.flatMap((issue) => toFieldErrors(issue, location)));
}

function toFieldErrors(issue: z.core.$ZodIssue, location?: string): FieldError[] {
  const at = (path: PropertyKey[]) => [location, ...path.map(String)].filter(Boolean).join('.') || '(body)';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: at([...issue.path, key]), code: 'unknown_field', message: 'is not allowed' }));
  }
  const code = issue.code === 'invalid_type' && issue.message === 'is required' ? 'required' : issue.code;
  return [{ field: at(issue.path), code, message: issue.message }];
}

/** A JSON body must be an object whose keys are all known (`z.strictObject`). */
export const bodySchema = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.strictObject(shape, { error: (issue) => (issue.code === 'invalid_type' ? 'the body must be a JSON object' : undefined) });

/** A PATCH body: every field optional, at least one present. */
export const patchSchema = <T extends z.core.$ZodLooseShape>(shape: T) =>
  bodySchema(shape)
    .partial()
    .refine((v) => Object.keys(v).length > 0, { message: 'must change at least one field' });
