-- Belt and braces for the invariants the API already keeps: requests are validated, and stock is
-- only ever taken by a conditional UPDATE (... WHERE stock >= quantity). These make the database
-- refuse a violation too, whatever writes to it (a script, a psql session, a future bug).
-- Prisma's schema language cannot express CHECK constraints, so they live here only; the
-- schema-sync check (scripts/check-schema-sync.cjs) does not compare them.

ALTER TABLE "Product"
    ADD CONSTRAINT "Product_stock_check" CHECK ("stock" >= 0),
    ADD CONSTRAINT "Product_price_check" CHECK ("price" > 0),
    ADD CONSTRAINT "Product_version_check" CHECK ("version" >= 1);

ALTER TABLE "Category"
    ADD CONSTRAINT "Category_version_check" CHECK ("version" >= 1);

ALTER TABLE "Order"
    ADD CONSTRAINT "Order_total_check" CHECK ("total" > 0),
    ADD CONSTRAINT "Order_version_check" CHECK ("version" >= 1);

ALTER TABLE "OrderItem"
    ADD CONSTRAINT "OrderItem_quantity_check" CHECK ("quantity" > 0),
    ADD CONSTRAINT "OrderItem_unitPrice_check" CHECK ("unitPrice" > 0),
    ADD CONSTRAINT "OrderItem_lineTotal_check" CHECK ("lineTotal" = "unitPrice" * "quantity");
