import { ProblemException } from '../common/problems/problem.exception.js';
import { toSortedLines, totalOverMaximum, unfulfillableLines } from './order-lines.js';
import type { LockedProduct } from './orders.repository.js';

const product = (id: number, price: string, stock = 100, orderable = true): LockedProduct => ({
  id,
  sku: `SKU-${id}`,
  name: `P${id}`,
  price,
  stock,
  orderable,
});

describe('order lines', () => {
  it('sorts lines by productId and remembers their request position', () => {
    expect(
      toSortedLines([
        { productId: 9, quantity: 1 },
        { productId: 2, quantity: 3 },
      ]),
    ).toEqual([
      { index: 1, productId: 2, quantity: 3 },
      { index: 0, productId: 9, quantity: 1 },
    ]);
  });

  it('rejects a product listed twice, pointing at the repeat', () => {
    try {
      toSortedLines([
        { productId: 5, quantity: 1 },
        { productId: 6, quantity: 1 },
        { productId: 5, quantity: 2 },
      ]);
      throw new Error('expected a validation problem');
    } catch (err) {
      expect(err).toBeInstanceOf(ProblemException);
      expect((err as ProblemException).details.errors).toEqual([{ field: 'items.2.productId', message: expect.stringContaining('items.0') }]);
    }
  });

  it('allows a total of exactly 999999999999.99, in decimal arithmetic (3 × 333333333333.33)', () => {
    const lines = toSortedLines([{ productId: 1, quantity: 3 }]);
    expect(totalOverMaximum(lines, [product(1, '333333333333.33')])).toBeUndefined();
  });

  it('refuses a total one cent over 999999999999.99', () => {
    const lines = toSortedLines([
      { productId: 1, quantity: 1 },
      { productId: 2, quantity: 1 },
    ]);
    expect(totalOverMaximum(lines, [product(1, '999999999999.99'), product(2, '0.01')])).toEqual({
      field: 'items',
      message: 'the order total must not exceed 999999999999.99',
    });
  });

  it('reports unknown, unorderable and short lines, in request order', () => {
    const lines = toSortedLines([
      { productId: 3, quantity: 5 },
      { productId: 1, quantity: 1 },
      { productId: 2, quantity: 1 },
      { productId: 4, quantity: 2 },
    ]);
    const errors = unfulfillableLines(lines, [product(1, '1.00', 0), product(2, '1.00', 9, false), product(3, '1.00', 5)]);
    expect(errors).toEqual([
      { field: 'items.1.quantity', message: 'product 1 (SKU-1): 1 requested, 0 in stock' },
      { field: 'items.2.productId', message: 'product 2 does not exist or cannot be ordered' },
      { field: 'items.3.productId', message: 'product 4 does not exist or cannot be ordered' },
    ]);
  });
});
