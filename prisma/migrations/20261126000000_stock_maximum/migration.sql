-- The stock maximum (MAX_STOCK, src/products/stock-limit.ts): product writes are validated against
-- it and a cancellation that would restock beyond it is refused, so the API never writes more; this
-- makes the database refuse it too. Kept well below INTEGER's 2,147,483,647 so that adding stock
-- back can never overflow the column. Like the other CHECKs it lives only here (see
-- 20261125200000_check_constraints). Fails, changing nothing, on a database that already holds a
-- product with more stock: lower that stock first.

ALTER TABLE "Product"
    ADD CONSTRAINT "Product_stock_max_check" CHECK ("stock" <= 1000000000);
