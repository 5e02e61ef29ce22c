import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '@forum/errors';

/** A 429 with Retry-After from a limiter's rejection (anything else is the limiter failing). */
export function tooMany(rejection: unknown, what: string): AppError {
  if (!(rejection instanceof RateLimiterRes)) return new AppError('internal_error', 'rate limiter failed', { cause: rejection });
  const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  return new AppError('too_many_requests', `Too many ${what}; try again in ${seconds} s`, { retryAfterSeconds: seconds });
}

/** Takes one point of `key` from `limiter`, or refuses with tooMany when there is none left. */
export const consumeOrRefuse = (limiter: RateLimiterAbstract, key: string, what: string): Promise<void> =>
  limiter.consume(key).then(
    () => undefined,
    (rejection: unknown) => {
      throw tooMany(rejection, what);
    },
  );
