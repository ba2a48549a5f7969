import type { Response } from 'supertest';

/** Asserts an RFC 9457 problem answer: status, content type, and the standard members. */
export function expectProblem(res: Response, status: number, slug?: string): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/^https:\/\/shop-api\.dev\/problems\/[a-z-]+$/),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      instance: expect.stringMatching(/^\//),
      requestId: res.headers['x-request-id'],
    }),
  );
  if (slug) expect(res.body.type).toBe(`https://shop-api.dev/problems/${slug}`);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules|prisma|SELECT |INSERT /i);
}
