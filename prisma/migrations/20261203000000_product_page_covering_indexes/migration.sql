-- Numbered product pages read their ids from an index alone (issue 19, S2).
--
-- A numbered page reads every row it skips: OFFSET 1980 of a list ordered by price walked 2,000
-- entries of "Product_price_id_idx" and fetched 2,000 rows from the table to test each one's
-- visibility (active, "archivedAt"), then dropped all but 20. With the visibility columns in the
-- ordering's index (INCLUDE), the page's ids come from an index-only scan and only its 20 rows are
-- fetched, by primary key (products.repository.ts, pageByIds). Measured with the service's
-- statements on 2,000 products (PostgreSQL 15, pages 1-100 of 20 by -price, one connection):
-- 615 µs of the backend's CPU per page before, 300 µs after.
--
-- An index-only scan skips the table for the pages the visibility map marks all-visible, which
-- (auto)vacuum keeps; a product written since (a sale decrements its stock) is checked in the
-- table as before. "active" and "archivedAt" are now indexed columns: a write changing either is
-- no longer a heap-only (HOT) update; stock decrements still are.
--
-- INCLUDE columns cannot be written in schema.prisma; scripts/check-schema-sync.cjs compares key
-- columns only.
DROP INDEX "Product_price_id_idx";
CREATE INDEX "Product_price_id_idx" ON "Product"("price", "id") INCLUDE ("active", "archivedAt");

DROP INDEX "Product_name_id_idx";
CREATE INDEX "Product_name_id_idx" ON "Product"("name", "id") INCLUDE ("active", "archivedAt");

DROP INDEX "Product_createdAt_id_idx";
CREATE INDEX "Product_createdAt_id_idx" ON "Product"("createdAt", "id") INCLUDE ("active", "archivedAt");

-- The default ordering (id): the primary key cannot include columns, so a second index on id does.
CREATE INDEX "Product_id_idx" ON "Product"("id") INCLUDE ("active", "archivedAt");
