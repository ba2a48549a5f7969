/**
 * The most units a product may hold. Every product write is checked against it (a 400 naming
 * `stock`), a cancellation that would put stock back beyond it is refused (409 stock-limit), and
 * the database refuses more (CHECK "Product_stock_max_check", migration 20261126000000_stock_maximum).
 * It sits well below PostgreSQL's INTEGER maximum (2,147,483,647), so no stock arithmetic ever
 * reaches the column's limit.
 */
export const MAX_STOCK = 1_000_000_000;
