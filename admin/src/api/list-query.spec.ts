import { listQuery, writeBody } from './list-query';

describe('listQuery: react-admin list parameters as the API query', () => {
  it('maps page, page size, ordering and filters, q as search', () => {
    const query = listQuery({
      pagination: { page: 3, perPage: 50 },
      sort: { field: 'price', order: 'DESC' },
      filter: { q: 'kettle', categoryId: 4, includeArchived: 'true', inStock: '' },
    });
    expect(query.toString()).toBe('page=3&pageSize=50&ordering=-price&search=kettle&categoryId=4&includeArchived=true');
  });

  it('orders ascending without a sign, caps the page size at the API limit, and leaves empty filters out', () => {
    expect(
      listQuery({ pagination: { page: 1, perPage: 1000 }, sort: { field: 'name', order: 'ASC' }, filter: { status: null, userId: undefined } }).toString(),
    ).toBe('page=1&pageSize=100&ordering=name');
  });
});

describe('writeBody: what a save sends', () => {
  const product = {
    id: 7,
    sku: 'A-1',
    name: 'Cup',
    description: '',
    price: '3.20',
    stock: 5,
    categoryId: 2,
    active: true,
    createdAt: 'x',
    archivedAt: null,
    __etag: '"7-3"',
  };

  it('sends only writable fields on create (no id, timestamps or etag)', () => {
    expect(writeBody('products', product)).toEqual({ sku: 'A-1', name: 'Cup', description: '', price: '3.20', stock: 5, categoryId: 2, active: true });
  });

  it('sends only the changed fields on an update, so a save never overwrites what it did not touch', () => {
    expect(writeBody('products', { ...product, stock: 9 }, product)).toEqual({ stock: 9 });
    expect(writeBody('users', { id: 1, email: 'a@b', role: 'staff' }, { id: 1, email: 'a@b', role: 'customer' })).toEqual({ role: 'staff' });
  });

  it('sends every writable field when nothing changed (the API wants at least one)', () => {
    expect(writeBody('categories', { name: 'Tea', slug: 'tea', description: '' }, { name: 'Tea', slug: 'tea', description: '' })).toEqual({
      name: 'Tea',
      slug: 'tea',
      description: '',
    });
  });
});
