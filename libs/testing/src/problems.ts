/** Matches a problem+json body of the given status and code. */
export const aProblem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  expect.objectContaining({
    type: `urn:forum:problem:${code.replace(/_/g, '-')}`,
    code,
    status,
    title: expect.any(String),
    detail: expect.any(String),
    ...extra,
  });

/** Matches a 400 whose field errors name exactly these fields. */
export const aValidationProblem = (...fields: string[]) =>
  aProblem(400, 'validation_failed', {
    errors: expect.arrayContaining(fields.map((field) => expect.objectContaining({ field }))),
  });
