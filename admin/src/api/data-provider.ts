import type { DataProvider, Identifier, RaRecord } from 'react-admin';
import { callApi } from './api-client';
import { listQuery, writeBody } from './list-query';

interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** The record's ETag rides along in the record (never sent back as a field): edits send it as If-Match. */
export const ETAG_FIELD = '__etag';

const path = (resource: string, id?: Identifier) => `/v1/${resource}${id === undefined ? '' : `/${encodeURIComponent(String(id))}`}`;

function withEtag<T extends RaRecord>(record: T, headers: Headers): T {
  const etag = headers.get('etag');
  return etag ? { ...record, [ETAG_FIELD]: etag } : record;
}

async function getOne<T extends RaRecord>(resource: string, id: Identifier): Promise<T> {
  const { json, headers } = await callApi<T>(path(resource, id));
  return withEtag(json, headers);
}

/**
 * react-admin's data provider over the public API: lists as {count, results} pages, writes as
 * POST / PATCH with only the writable fields, If-Match from the ETag of the record being edited
 * (a 412 reaches the form as an HttpError), DELETE (archiving, for products). The API has no
 * "many ids" calls, so getMany reads one by one (a page holds at most a few distinct ids).
 */
export const dataProvider: DataProvider = {
  async getList(resource, params) {
    const { json } = await callApi<Page<RaRecord>>(`${path(resource)}?${listQuery(params)}`, { method: 'GET' });
    const page = params.pagination?.page ?? 1;
    return {
      data: json.results as never[],
      total: json.count,
      pageInfo: { hasNextPage: json.next !== null, hasPreviousPage: page > 1 || json.previous !== null },
    };
  },

  async getOne(resource, params) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- react-admin's generic record type
    return { data: (await getOne(resource, params.id)) as never };
  },

  async getMany(resource, params) {
    const unique = [...new Set(params.ids)];
    return { data: (await Promise.all(unique.map((id) => getOne(resource, id)))) as never };
  },

  async getManyReference(resource, params) {
    const filter = { ...params.filter, [params.target]: params.id };
    return dataProvider.getList(resource, { ...params, filter });
  },

  async create(resource, params) {
    const { json, headers } = await callApi<RaRecord>(path(resource), { method: 'POST', body: writeBody(resource, params.data) });
    return { data: withEtag(json, headers) as never };
  },

  async update(resource, params) {
    const previous = (params.previousData ?? {}) as Record<string, unknown>;
    const etag = previous[ETAG_FIELD];
    const { json, headers } = await callApi<RaRecord>(path(resource, params.id), {
      method: 'PATCH',
      body: writeBody(resource, params.data as Record<string, unknown>, previous),
      headers: typeof etag === 'string' ? { 'if-match': etag } : undefined,
    });
    return { data: withEtag(json, headers) as never };
  },

  async updateMany(resource, params) {
    await Promise.all(params.ids.map((id) => callApi(path(resource, id), { method: 'PATCH', body: writeBody(resource, params.data) })));
    return { data: params.ids };
  },

  async delete(resource, params) {
    await callApi(path(resource, params.id), { method: 'DELETE' });
    return { data: (params.previousData ?? { id: params.id }) as never };
  },

  async deleteMany(resource, params) {
    for (const id of params.ids) await callApi(path(resource, id), { method: 'DELETE' });
    return { data: params.ids };
  },
};
