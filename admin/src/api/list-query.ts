/** What react-admin asks a list for. */
export interface ListParams {
  pagination?: { page: number; perPage: number };
  sort?: { field: string; order: string }; // 'ASC' or 'DESC'
  filter?: Record<string, unknown>;
}

export const MAX_PAGE_SIZE = 100;

/** react-admin's free-text filter ("q") is the API's `search`. */
const RENAMED_FILTERS: Record<string, string> = { q: 'search' };

/**
 * The API's query string for a list: page / pageSize (at most 100), ordering ("-field" for
 * descending) and the filters as they are; empty filters are left out.
 */
export function listQuery({ pagination, sort, filter }: ListParams): URLSearchParams {
  const query = new URLSearchParams();
  if (pagination) {
    query.set('page', String(Math.max(1, pagination.page)));
    query.set('pageSize', String(Math.min(MAX_PAGE_SIZE, Math.max(1, pagination.perPage))));
  }
  if (sort?.field) query.set('ordering', `${sort.order === 'DESC' ? '-' : ''}${sort.field}`);
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- react-admin's filter values are strings, numbers and booleans
    query.set(RENAMED_FILTERS[key] ?? key, String(value));
  }
  return query;
}

/** Fields each resource accepts in a write: the rest of a record (id, timestamps, etag) is read-only. */
export const WRITABLE_FIELDS: Record<string, readonly string[]> = {
  products: ['sku', 'name', 'description', 'price', 'stock', 'categoryId', 'active'],
  categories: ['name', 'slug', 'description'],
  orders: ['status'],
  users: ['role'],
};

/**
 * The body of a create or a PATCH: only writable fields, and on an update only those that
 * changed (so a save never overwrites what it did not touch); all of them if none changed.
 */
export function writeBody(resource: string, data: Record<string, unknown>, previous?: Record<string, unknown>): Record<string, unknown> {
  const writable = WRITABLE_FIELDS[resource] ?? Object.keys(data);
  const body: Record<string, unknown> = {};
  for (const field of writable) if (field in data && data[field] !== undefined) body[field] = data[field];
  if (!previous) return body;
  const changed = Object.fromEntries(Object.entries(body).filter(([field, value]) => !sameValue(value, previous[field])));
  return Object.keys(changed).length ? changed : body;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
