-- Exact counts of longer searches, computed once per catalogue version (issue 17).
--
-- A page-number search of four characters or more counts its matches: ~94,000 for `espresso` at a
-- million products, 0.1–0.5 s each, seconds under 32 connections. No kept count can answer every
-- term, but the answer changes only when a product's text, visibility, category or price does. This
-- row's version goes up, in the writing transaction, on every statement that may change one of them;
-- a count read in one statement with the version (a snapshot holds both) is exact for every snapshot
-- with that version, so the service keeps it (src/products/search-counts.ts) and answers the next
-- count of the same search from it while the version holds. Stock is not among them: placing an
-- order changes no search count but one filtered by stock, which is never kept.
--
-- Cost: such a product write also updates this row, so those writes queue on its lock for the rest
-- of their transaction (inserts and archives already queue on the gram ' ' of "SearchGramCount").
-- Inserts, deletes and TRUNCATE bump it once per statement (a bulk load once); an update once per
-- row whose value of one of those columns changed (an update that changes nothing, such as a
-- stale If-Match or archiving an archived product, keeps every kept count). Deleting the row
-- would make every count be read again, each time: it is refused.
CREATE TABLE "SearchCountVersion" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "SearchCountVersion_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SearchCountVersion_one_row" CHECK ("id")
);

INSERT INTO "SearchCountVersion" DEFAULT VALUES;

CREATE FUNCTION "SearchCountVersion_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "SearchCountVersion" SET "version" = "version" + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER "Product_search_count_version" AFTER INSERT OR DELETE OR TRUNCATE ON "Product"
  FOR EACH STATEMENT EXECUTE FUNCTION "SearchCountVersion_bump"();
CREATE TRIGGER "Product_search_count_version_updated"
  AFTER UPDATE OF "name", "sku", "description", "active", "archivedAt", "categoryId", "price" ON "Product"
  FOR EACH ROW
  WHEN ((OLD."name", OLD."sku", OLD."description", OLD."active", OLD."archivedAt", OLD."categoryId", OLD."price")
        IS DISTINCT FROM (NEW."name", NEW."sku", NEW."description", NEW."active", NEW."archivedAt", NEW."categoryId", NEW."price"))
  EXECUTE FUNCTION "SearchCountVersion_bump"();

CREATE FUNCTION "SearchCountVersion_kept"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '"SearchCountVersion" keeps its one row';
END $$;
CREATE TRIGGER "SearchCountVersion_kept" BEFORE DELETE OR TRUNCATE ON "SearchCountVersion"
  FOR EACH STATEMENT EXECUTE FUNCTION "SearchCountVersion_kept"();

-- A load that bypassed the triggers ends with the recount, which now moves the version as well.
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
  DELETE FROM "SearchGramCount";
  INSERT INTO "SearchGramCount" ("gram", "visible", "unarchived", "total")
  SELECT gram, count(*) FILTER (WHERE p."active" AND p."archivedAt" IS NULL), count(*) FILTER (WHERE p."archivedAt" IS NULL), count(*)
  FROM "Product" p, "Product_distinct_grams"(p."name", p."sku", p."description") AS gram
  GROUP BY gram;
  UPDATE "SearchCountVersion" SET "version" = "version" + 1;
  RETURN counted;
END $$;
