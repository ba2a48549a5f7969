import { Decimal, formatMoney } from '../common/money/money.js';
import type { FieldError } from '../common/problems/problem.exception.js';
import { validationProblem } from '../common/problems/common-problems.js';
import type { LockedProduct } from './orders.repository.js';

/** An order line with its position in the request (error fields point at it). */
export interface Line {
  index: number;
  productId: number;
  quantity: number;
}

/** Order.total is numeric(14,2). */
export const MAX_ORDER_TOTAL = new Decimal('999999999999.99');

/** The request's lines sorted by productId (the lock order); a product listed twice is a 400. */
export function toSortedLines(items: Array<{ productId: number; quantity: number }>): Line[] {
  const firstIndex = new Map<number, number>();
  const errors: FieldError[] = [];
  const lines = items.map(({ productId, quantity }, index) => {
    const first = firstIndex.get(productId);
    if (first === undefined) firstIndex.set(productId, index);
    else errors.push({ field: `items.${index}.productId`, message: `product ${productId} is already in items.${first}; list each product once` });
    return { index, productId, quantity };
  });
  if (errors.length > 0) throw validationProblem(errors);
  return lines.sort((a, b) => a.productId - b.productId);
}

/**
 * Why each line cannot be fulfilled from the locked products: unknown, inactive and archived
 * products are reported alike (customers cannot see which is which); short lines name the
 * stock that is left (stock is public on the product anyway).
 */
export function unfulfillableLines(lines: Line[], products: LockedProduct[]): FieldError[] {
  const byId = new Map(products.map((p) => [p.id, p]));
  const errors: FieldError[] = [];
  for (const line of [...lines].sort((a, b) => a.index - b.index)) {
    const product = byId.get(line.productId);
    if (!product?.orderable) {
      errors.push({ field: `items.${line.index}.productId`, message: `product ${line.productId} does not exist or cannot be ordered` });
    } else if (product.stock < line.quantity) {
      errors.push({
        field: `items.${line.index}.quantity`,
        message: `product ${product.id} (${product.sku}): ${line.quantity} requested, ${product.stock} in stock`,
      });
    }
  }
  return errors;
}

/**
 * The error when the lines, priced from the locked products, pass the largest total an order may
 * have (the placement statement refuses such an order; this says why), in decimal arithmetic.
 */
export function totalOverMaximum(lines: Line[], products: LockedProduct[]): FieldError | undefined {
  const byId = new Map(products.map((p) => [p.id, p]));
  const total = lines.reduce((sum, { productId, quantity }) => sum.plus(new Decimal(byId.get(productId)!.price).times(quantity)), new Decimal(0));
  return total.greaterThan(MAX_ORDER_TOTAL) ? { field: 'items', message: `the order total must not exceed ${formatMoney(MAX_ORDER_TOTAL)}` } : undefined;
}
