import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import { watchBodyDeadline } from './low-level-errors.js';

const DEADLINE_MS = 30_000;

/** A request whose headers announce a body that has not arrived yet, and its response. */
function pendingBody() {
  const raw = Object.assign(new EventEmitter(), {
    complete: false,
    headers: { 'content-length': '2000000' },
    socket: { destroyed: false, writable: true, write: jest.fn(), end: jest.fn(), resume: jest.fn(), destroy: jest.fn() },
  });
  const response = new EventEmitter();
  watchBodyDeadline({ raw, id: 'req-1' } as unknown as FastifyRequest, response as unknown as ServerResponse, DEADLINE_MS);
  return { raw, response };
}

describe('watchBodyDeadline', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('keeps no timer for a request answered before its body was read (a 413 on its declared length)', () => {
    const { response } = pendingBody();
    expect(jest.getTimerCount()).toBe(1);
    response.emit('close');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps no timer once the body has arrived', () => {
    const { raw } = pendingBody();
    raw.emit('end');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('answers 408 and closes the connection when the body is still missing at the deadline', () => {
    const { raw } = pendingBody();
    jest.advanceTimersByTime(DEADLINE_MS - 1);
    expect(raw.socket.write).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(raw.socket.write).toHaveBeenCalledWith(expect.stringMatching(/^HTTP\/1\.1 408 /));
    expect(raw.socket.end).toHaveBeenCalled();
  });

  it('watches nothing for a request without a body', () => {
    const raw = Object.assign(new EventEmitter(), { complete: false, headers: {}, socket: {} });
    watchBodyDeadline({ raw, id: 'req-2' } as unknown as FastifyRequest, new EventEmitter() as unknown as ServerResponse, DEADLINE_MS);
    expect(jest.getTimerCount()).toBe(0);
  });
});
