import { AppError, conflict, notFound, validationFailed } from './app-error';
import { toProblem } from './problem';

describe('toProblem', () => {
  it('when a 4xx error is rendered, then its detail and field errors are shown', () => {
    const problem = toProblem(validationFailed([{ field: 'title', code: 'too_small', message: 'must not be empty' }]), {
      instance: '/api/threads',
      requestId: 'req-1',
    });
    expect(problem).toEqual({
      type: 'urn:forum:problem:validation-failed',
      code: 'validation_failed',
      title: 'Request validation failed',
      status: 400,
      detail: 'title: must not be empty',
      instance: '/api/threads',
      requestId: 'req-1',
      errors: [{ field: 'title', code: 'too_small', message: 'must not be empty' }],
    });
  });

  it('when a 5xx error is rendered, then its internal message is hidden', () => {
    const problem = toProblem(new AppError('internal_error', 'connection string postgres://secret@db'));
    expect(problem.detail).toBe('Internal server error');
    expect(JSON.stringify(problem)).not.toContain('secret');
  });

  it('when another service timed out, then the detail says which, as it names nothing internal', () => {
    expect(toProblem(new AppError('upstream_timeout', 'The users service did not answer within 2000 ms')).detail).toBe(
      'The users service did not answer within 2000 ms',
    );
  });

  it('when a resource is missing, then the id is quoted in the detail', () => {
    expect(toProblem(notFound('User', 'abc')).detail).toBe('User "abc" does not exist');
    expect(notFound('User', 7).status).toBe(404);
  });

  it('when a conflict names a field, then the field is listed', () => {
    expect(toProblem(conflict('taken', 'username')).errors).toEqual([{ field: 'username', code: 'conflict', message: 'taken' }]);
  });

  it('when an error has a cause, then the cause is kept for logging', () => {
    const cause = new Error('driver said no');
    expect(new AppError('service_unavailable', 'db down', { cause }).cause).toBe(cause);
  });
});
