import { isDuplicateSchema, isUniqueViolation } from './driver-errors';

describe('isUniqueViolation', () => {
  it.each([
    [{ code: '23505' }, true],
    [{ code: 'SQLITE_CONSTRAINT_UNIQUE' }, true],
    [{ code: '42P06' }, false],
    [{ code: 'SQLITE_CONSTRAINT_NOTNULL' }, false],
    [new Error('x'), false],
    [null, false],
  ])('when the error is %j, then it is %s', (error, expected) => {
    expect(isUniqueViolation(error)).toBe(expected);
  });
});

describe('isDuplicateSchema', () => {
  it.each([
    [{ code: '42P06' }, true],
    [{ code: '23505' }, false],
    [new Error('x'), false],
    [null, false],
  ])('when the error is %j, then it is %s', (error, expected) => {
    expect(isDuplicateSchema(error)).toBe(expected);
  });
});
