import { Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problems/problem.exception.js';
import { Problems } from '../common/problems/problem-types.js';
import { Database } from '../database/database.service.js';
import { LifecycleState } from '../lifecycle/lifecycle-state.js';

const PING_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(
    private readonly database: Database,
    private readonly lifecycle: LifecycleState,
  ) {}

  /** Throws a 503 problem when draining or when the database does not answer in time. */
  async assertReady(): Promise<void> {
    if (this.lifecycle.isDraining) {
      throw new ProblemException(Problems.serviceUnavailable, { detail: 'The service is shutting down' });
    }
    try {
      await withTimeout(this.database.ping(), PING_TIMEOUT_MS);
    } catch {
      throw new ProblemException(Problems.serviceUnavailable, {
        detail: 'The database is not reachable',
        headers: { 'Retry-After': '5' },
      });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
