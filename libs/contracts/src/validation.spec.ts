import { z } from 'zod';
import { AppError } from '@forum/errors';
import { bodySchema, idField, parseId, patchSchema, textField, validate } from './validation';

const schema = bodySchema({ title: textField(1, 10), authorId: idField() });

const fieldErrors = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).errors;
  }
  throw new Error('expected a validation error');
};

describe('validate', () => {
  it('when the body is valid, then the parsed value is returned', () => {
    expect(validate(schema, { title: 'Hi', authorId: 1 })).toEqual({ title: 'Hi', authorId: 1 });
  });

  it('when fields are missing, unknown or of the wrong type, then each is named', () => {
    expect(fieldErrors(() => validate(schema, { authorId: '1', extra: true, __proto__x: 1 }))).toEqual(
      expect.arrayContaining([
        { field: 'title', code: 'required', message: 'is required' },
        { field: 'authorId', code: 'invalid_type', message: 'must be a positive integer' },
        { field: 'extra', code: 'unknown_field', message: 'is not allowed' },
      ]),
    );
  });

  it('when the body is not an object, then the body itself is named', () => {
    expect(fieldErrors(() => validate(schema, [1, 2]))).toEqual([
      { field: '(body)', code: 'invalid_type', message: 'the body must be a JSON object' },
    ]);
  });

  it('when text is empty, too long, holds NUL or a lone surrogate, then it is rejected', () => {
    const messages = (title: string) => fieldErrors(() => validate(schema, { title, authorId: 1 }))?.map((e) => e.message);
    expect(messages('   ')).toEqual(['must not be empty']);
    expect(messages('x'.repeat(11))).toEqual(['must have at most 10 characters']);
    expect(messages('a\u0000b')).toEqual(['must not contain NUL characters']);
    expect(messages('a\ud800b')).toEqual(['must be well-formed Unicode']);
  });

  it('when ids are fractional, negative or huge, then they are rejected', () => {
    for (const authorId of [1.5, -1, 0, 2 ** 60]) {
      expect(fieldErrors(() => validate(schema, { title: 'x', authorId }))?.[0]?.field).toBe('authorId');
    }
  });

  it('when a patch is empty, then it is rejected', () => {
    expect(fieldErrors(() => validate(patchSchema({ title: textField(1, 5) }), {}))?.[0]?.message).toBe('must change at least one field');
  });

  it('when query parameters are invalid, then the field is prefixed with query', () => {
    expect(fieldErrors(() => validate(z.strictObject({ limit: z.string() }), { limit: 1 }, 'query'))?.[0]?.field).toBe('query.limit');
  });
});

describe('parseId', () => {
  it('when the id is a positive integer, then it is returned', () => {
    expect(parseId('42')).toBe(42);
    expect(parseId('9007199254740991')).toBe(9007199254740991);
  });

  it.each(['0', '-1', '01', '1.5', 'abc', '1e3', '9007199254740993', '99999999999999999', '', undefined])(
    'when the id is %j, then it names nothing',
    (raw) => {
      expect(parseId(raw)).toBeUndefined();
    },
  );
});
