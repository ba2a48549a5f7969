import type { TestApp } from './test-app.js';

/** A cursor page's body: the links and the rows, no count. */
export interface CursorBody {
  next: string | null;
  previous: string | null;
  results: Array<{ id: number }>;
}

/** The path and query of an absolute link the API handed out. */
export const pathOf = (link: string) => link.replace(/^http:\/\/[^/]+/, '');

/**
 * Follows next links from the first cursor page (`path`), then previous links back from the last
 * page. Returns both id sequences (the backward one in list order) and the forward pages.
 */
export async function followCursorPages(http: TestApp['http'], path: string, auth: Record<string, string> = {}) {
  const forward: number[] = [];
  const pages: CursorBody[] = [];
  let url: string | null = path;
  while (url) {
    const res: { body: CursorBody } = await http.get(pathOf(url)).set(auth).expect(200);
    expect(res.body).not.toHaveProperty('count');
    pages.push(res.body);
    forward.push(...res.body.results.map((r) => r.id));
    url = res.body.next;
  }
  expect(pages[0].previous).toBeNull();
  const backward: number[] = [];
  url = pages.at(-1)!.previous;
  while (url) {
    const res: { body: CursorBody } = await http.get(pathOf(url)).set(auth).expect(200);
    backward.unshift(...res.body.results.map((r) => r.id));
    url = res.body.previous;
  }
  backward.push(...pages.at(-1)!.results.map((r) => r.id));
  return { forward, backward, pages };
}
