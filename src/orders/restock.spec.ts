import { MAX_STOCK } from '../products/stock-limit.js';
import { overfullRestocks } from './restock.js';

const line = (productId: number, stock: number, quantity: number) => ({ productId, sku: `SKU-${productId}`, stock, quantity });

describe('overfullRestocks', () => {
  it('lets stock be restored up to exactly MAX_STOCK', () => {
    expect(overfullRestocks([line(1, MAX_STOCK - 1000, 1000), line(2, 0, 1000)])).toEqual([]);
  });

  it('names each line that would pass MAX_STOCK by its position among the items', () => {
    expect(overfullRestocks([line(1, 5, 1), line(2, MAX_STOCK - 999, 1000), line(3, MAX_STOCK, 1)])).toEqual([
      { field: 'items.1.quantity', message: `product 2 (SKU-2): 1000 to put back, ${MAX_STOCK - 999} in stock` },
      { field: 'items.2.quantity', message: `product 3 (SKU-3): 1 to put back, ${MAX_STOCK} in stock` },
    ]);
  });
});
