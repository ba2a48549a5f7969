-- Searches of three characters or more read one trigram index, of the kept search text (issue 17).
--
-- A term of three characters or more was found through three trigram indexes (name, sku,
-- description: a BitmapOr), and every candidate was rechecked with ILIKE on each column — three
-- lower() calls of the row's text, ~1.7 µs a candidate. "searchText"
-- (20261203120000_product_search_text) is the three fields lower-cased and joined by U+0001, so
-- `"searchText" LIKE lower('%term%')` is the same test (the term's literal part cannot span a
-- U+0001) with one index and a recheck that lower-cases nothing. Measured at a million products
-- (PostgreSQL 15, warm, one connection): the page of `0df` (4,575 matches, read through the index)
-- 12 → 4.7 ms; the count of `espresso` (93,673 matches) 333 → 183 ms. The one index is smaller
-- than the three (91 MB against 117 MB) and a product write updates one GIN index instead of three.
--
-- Planning a search tests its pattern against the column's statistics: the 1000-entry histograms
-- kept for name and description (20261201200000_search_text_statistics) move to "searchText".
-- The index is on a generated column that schema.prisma does not declare; scripts/check-schema-sync.cjs
-- skips indexes of such columns as it skips indexes on expressions.
--
-- Deploying: building the index blocks product writes (~20 s at a million products on 2 cores),
-- and instances still running the previous version search the three fields, whose indexes are
-- dropped here, until they are replaced — roll the instances right after the migration job.
CREATE INDEX "Product_searchText_trgm_idx" ON "Product" USING GIN ("searchText" gin_trgm_ops);

ALTER TABLE "Product" ALTER COLUMN "searchText" SET STATISTICS 1000,
  ALTER COLUMN "name" SET STATISTICS -1, ALTER COLUMN "description" SET STATISTICS -1;
-- The planner estimates a search from these statistics: read them now, not at autovacuum's next
-- analyze (without them a term in a few thousand products is planned as a rare one).
ANALYZE "Product" ("searchText");

DROP INDEX "Product_name_trgm_idx";
DROP INDEX "Product_sku_trgm_idx";
DROP INDEX "Product_description_trgm_idx";
