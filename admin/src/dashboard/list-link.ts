/** The react-admin URL of a list with these filters and this sort (what the list's own controls produce). */
export function listLink(resource: string, filter: Record<string, unknown>, sort?: { field: string; order: 'ASC' | 'DESC' }) {
  const search = new URLSearchParams({ filter: JSON.stringify(filter) });
  if (sort) {
    search.set('sort', sort.field);
    search.set('order', sort.order);
  }
  return { pathname: `/${resource}`, search: `?${search}` };
}
