-- Lists at a million rows (issue 17).
--
-- Searches of one or two characters. `search` matches a case-insensitive substring of name, sku or
-- description (ILIKE '%term%'); the trigram indexes serve terms of three characters and more, but a
-- shorter term has no trigram, so it used to read the whole table. This index holds, per product,
-- the characters of its lower-cased name, sku and description: the list asks for the rows holding
-- every character of the term (`… @> string_to_array(lower(term), NULL)`), a superset of the
-- matches, and tests each candidate exactly (src/products/products.repository.ts). The expression
-- is built-in C functions only, a few µs a row, so it costs little wherever the planner evaluates it
-- (an earlier draft indexed every two-character substring through an SQL function: 100 µs a row,
-- and the planner evaluated it on whole tables). Prisma's schema language cannot express an index
-- on an expression, so this one lives here only (the schema-sync check skips such indexes).
CREATE INDEX "Product_search_chars_idx" ON "Product" USING GIN ((string_to_array(lower("name" || ' ' || "sku" || ' ' || "description"), NULL)));

-- Staff may order all orders by total (?ordering=total / -total): without an index that was a
-- sort of the whole table for every page.
CREATE INDEX "Order_total_id_idx" ON "Order"("total", "id");
