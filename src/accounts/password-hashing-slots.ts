import pLimit, { type LimitFunction } from 'p-limit';
import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';

export interface HashingLimits {
  /** Hashes running at once. */
  concurrency: number;
  /** Hashes waiting for a slot; one more is refused. */
  maxQueued: number;
}

/** Outside the service (the create-admin CLI, test fixtures): one hash at a time, none refused. */
const STANDALONE: HashingLimits = { concurrency: 1, maxQueued: Number.POSITIVE_INFINITY };

/**
 * Caps concurrent password hashing. argon2 runs on libuv's thread pool, which fs and DNS share:
 * a login spray would otherwise fill the pool and the CPU and slow every other request. Work
 * beyond the running and waiting slots is refused at once with a 503 rather than queued without
 * bound (a client would wait, and memory grow, for as long as the spray lasts).
 */
export class PasswordHashingSlots {
  private readonly limit: LimitFunction;

  constructor(private readonly limits: HashingLimits = STANDALONE) {
    this.limit = pLimit(limits.concurrency);
  }

  run<T>(hashing: () => Promise<T>): Promise<T> {
    if (this.limit.activeCount >= this.limits.concurrency && this.limit.pendingCount >= this.limits.maxQueued) {
      return Promise.reject(
        new ProblemException(Problems.serviceUnavailable, {
          detail: 'Too many sign-ins at once; retry in a moment',
          headers: { 'Retry-After': '1' },
        }),
      );
    }
    return this.limit(hashing);
  }
}
