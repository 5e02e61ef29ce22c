import { AppError } from '@forum/errors';

export interface HashSlotLimits {
  /** Password hashes this pool runs at once. */
  atOnce: number;
  /** Hashes that may wait for a slot; any more are refused at once. */
  queue: number;
}

/**
 * A bound on the scrypt hashes running at once (each holds 32 MiB and a core for ~90 ms): work
 * beyond `atOnce` waits in a short queue, and beyond that is answered 503 with Retry-After
 * straight away rather than queued without bound. Counted per task.
 */
export function hashSlots({ atOnce, queue }: HashSlotLimits) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return {
    run: async <T>(work: () => Promise<T>): Promise<T> => {
      if (running < atOnce) running++;
      else if (waiting.length < queue) await new Promise<void>((resolve) => waiting.push(resolve));
      else
        throw new AppError('service_unavailable', 'Too many passwords are being checked right now; try again in a second', { retryAfterSeconds: 1 });
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

export type HashSlots = ReturnType<typeof hashSlots>;

/** No bound: for the demo data, hashed before the service listens. */
export const unboundedSlots: HashSlots = { run: (work) => work() };
