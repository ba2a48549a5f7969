-- Order placement without index writes (issue 19).
--
-- Placing an order decrements "Product".stock. While "Product_stock_id_idx" indexed stock, no such
-- update could be HOT (heap-only): each one wrote a new entry into every index of "Product", eleven
-- of them, four GIN (the trigrams of name, sku and description, and the search grams, whose keys a
-- function computes from the whole text). Measured with pgbench on the service's placement
-- statement in its transaction (PostgreSQL 15, two cores, 10 clients, 2,000 products with 1,200
-- orders, alternating 15 s runs): with this migration, its triggers included, 1,486-1,733 orders/s
-- against 853-1,118 with the old index, and 148,847 of 149,506 updates HOT (2,173 of 88,976
-- before); without the search-grams index alone, about the same gain: the index entries were most
-- of the database's work per order.
--
-- The stock is now indexed here instead: "ProductStockKey" holds each product's stock again
-- ("stockKey"), kept equal by the triggers below in the same transaction as every write of it,
-- so a snapshot sees both or neither. The lists ordered or filtered by stock join it and walk
-- ("stockKey", "productId") as they walked ("stock", id). A stock change writes one narrow row
-- with two btree entries instead of eleven index entries.
--
-- Inserts are copied once per statement (transition table: a bulk load is one INSERT … SELECT),
-- stock updates once per row (only when the value changed). Deletes cascade. Anything that
-- bypasses triggers (session_replication_role = replica, pg_restore --disable-triggers) must end
-- with SELECT "Product_recount"(); which now rebuilds these rows too.
CREATE TABLE "ProductStockKey" (
    "productId" INTEGER NOT NULL,
    "stockKey" INTEGER NOT NULL,

    CONSTRAINT "ProductStockKey_pkey" PRIMARY KEY ("productId")
);

CREATE INDEX "ProductStockKey_stockKey_productId_idx" ON "ProductStockKey"("stockKey", "productId");

ALTER TABLE "ProductStockKey" ADD CONSTRAINT "ProductStockKey_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "ProductStockKey" ("productId", "stockKey") SELECT id, stock FROM "Product";

CREATE FUNCTION "Product_stock_key_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ProductStockKey" ("productId", "stockKey") SELECT id, stock FROM inserted;
  RETURN NULL;
END $$;

CREATE FUNCTION "Product_stock_key_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ProductStockKey" SET "stockKey" = NEW.stock WHERE "productId" = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER "Product_stock_key_inserted" AFTER INSERT ON "Product" REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "Product_stock_key_inserted"();
CREATE TRIGGER "Product_stock_key_updated" AFTER UPDATE OF stock ON "Product"
  FOR EACH ROW WHEN (OLD.stock IS DISTINCT FROM NEW.stock)
  EXECUTE FUNCTION "Product_stock_key_updated"();

-- The recount after a load that bypassed the triggers now rebuilds the stock keys as well.
CREATE OR REPLACE FUNCTION "Product_recount"() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE counted integer;
BEGIN
  LOCK TABLE "Product" IN SHARE MODE; -- no product write between the recount and its commit
  DELETE FROM "CategoryProductCount";
  INSERT INTO "CategoryProductCount" ("categoryId", "visible", "unarchived", "total")
  SELECT "categoryId", count(*) FILTER (WHERE "active" AND "archivedAt" IS NULL), count(*) FILTER (WHERE "archivedAt" IS NULL), count(*)
  FROM "Product" GROUP BY "categoryId";
  GET DIAGNOSTICS counted = ROW_COUNT;
  DELETE FROM "ProductStockKey";
  INSERT INTO "ProductStockKey" ("productId", "stockKey") SELECT id, stock FROM "Product";
  RETURN counted;
END $$;

DROP INDEX "Product_stock_id_idx";

ANALYZE "ProductStockKey";
