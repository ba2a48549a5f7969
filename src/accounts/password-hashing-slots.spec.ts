import { ProblemException } from '../common/problems/problem.exception.js';
import { PasswordHashingSlots } from './password-hashing-slots.js';

/** A job the test finishes by hand; `started` tells whether the slots let it run yet. */
function job() {
  let finish!: (ok: boolean) => void;
  const state = { started: false };
  const work = () => {
    state.started = true;
    return new Promise<string>((resolve, reject) => (finish = (ok) => (ok ? resolve('done') : reject(new Error('argon2 failed')))));
  };
  return { work, state, finish: (ok = true) => finish(ok) };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('PasswordHashingSlots', () => {
  it('runs `concurrency` jobs, queues `maxQueued` more, and refuses the next at once with a 503 problem', async () => {
    const slots = new PasswordHashingSlots({ concurrency: 2, maxQueued: 1 });
    const [a, b, c] = [job(), job(), job()];
    const results = [slots.run(a.work), slots.run(b.work), slots.run(c.work)];
    await flush();
    expect([a.state.started, b.state.started, c.state.started]).toEqual([true, true, false]);

    const refused = await slots.run(() => Promise.resolve('never')).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ProblemException);
    expect((refused as ProblemException).problem.slug).toBe('service-unavailable');
    expect((refused as ProblemException).details.headers).toEqual({ 'Retry-After': '1' });

    // A failed job frees its slot as well: the queued one starts, and one more may queue.
    a.finish(false);
    await expect(results[0]).rejects.toThrow('argon2 failed');
    await flush();
    expect(c.state.started).toBe(true);
    const d = job();
    results.push(slots.run(d.work));
    b.finish();
    c.finish();
    await flush();
    d.finish();
    await expect(Promise.all(results.slice(1))).resolves.toEqual(['done', 'done', 'done']);
  });

  it('with no queue, refuses as soon as every slot is busy', async () => {
    const slots = new PasswordHashingSlots({ concurrency: 1, maxQueued: 0 });
    const a = job();
    const first = slots.run(a.work);
    await expect(slots.run(() => Promise.resolve('x'))).rejects.toBeInstanceOf(ProblemException);
    a.finish();
    await expect(first).resolves.toBe('done');
    await expect(slots.run(() => Promise.resolve('x'))).resolves.toBe('x');
  });

  it('outside the service (no limits given) runs one at a time and refuses nothing', async () => {
    const slots = new PasswordHashingSlots();
    const jobs = Array.from({ length: 50 }, job);
    const results = jobs.map((j) => slots.run(j.work));
    await flush();
    expect(jobs.filter((j) => j.state.started)).toHaveLength(1);
    for (const j of jobs) {
      j.finish();
      await flush();
    }
    await expect(Promise.all(results)).resolves.toHaveLength(50);
  });
});
