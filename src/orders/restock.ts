import type { FieldError } from '../common/problems/problem.exception.js';
import { MAX_STOCK } from '../products/stock-limit.js';
import type { Restock } from './orders.repository.js';

/**
 * The lines whose units, put back, would raise their product's stock above MAX_STOCK, as errors
 * on the order's items (`restocks` in productId order, the order of the items in the API).
 */
export function overfullRestocks(restocks: Restock[]): FieldError[] {
  return restocks.flatMap((line, index) =>
    line.stock + line.quantity > MAX_STOCK
      ? [{ field: `items.${index}.quantity`, message: `product ${line.productId} (${line.sku}): ${line.quantity} to put back, ${line.stock} in stock` }]
      : [],
  );
}
