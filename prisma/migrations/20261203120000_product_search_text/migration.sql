-- A search's walk tests each row it reads against a kept lower-cased text (issue 17).
--
-- A search page walked in page order (products.repository.ts, walkedPage) tested each row with
-- strpos(lower(column), term) on name, sku and description: lower() is locale-aware (UTF-8 text
-- through wide characters), and three calls of it were ~75 % of a walk's cost. Measured at a
-- million products (PostgreSQL 15, C.UTF-8, warm, one connection), 10,000 rows walked and tested:
-- 13–16 ms in creation order and 19–22 ms by price with lower() per row; 3.1 ms and 11–12 ms with
-- strpos on this column. The price: the table grows by the text's length (157 → 239 MB at a
-- million products), computed once per write.
--
-- The three fields are joined by U+0001, which no term can hold (the input guard refuses C0
-- controls in query strings), so a term is a substring of the column exactly when it is a
-- substring of one of the lower-cased fields. Adding the column rewrites the table under an
-- ACCESS EXCLUSIVE lock (~2 min at a million products on a 2-core machine).
--
-- Prisma's schema language cannot declare a generated column, and no Prisma query should read or
-- write it: it is not in schema.prisma, and scripts/check-schema-sync.cjs skips generated columns.
ALTER TABLE "Product" ADD COLUMN "searchText" text
  GENERATED ALWAYS AS (lower("name") || E'\x01' || lower("sku") || E'\x01' || lower("description")) STORED;
