-- Searches of one or two characters at a million rows (issue 17).
--
-- "Product_search_chars_idx" (20261201120000_list_scale) held the characters of each product's
-- searchable text, so a two-character term found every row holding both characters anywhere: for
-- "x7" some 80 ms of candidates to test at a million rows, all of them wrong. This index holds the
-- characters and the pairs of adjacent characters of the lower-cased name, sku and description
-- (joined by spaces): a term of one or two characters is a substring of one of the three exactly
-- when it is one of the indexed strings (a trimmed term holds no space, and every pair that spans
-- two fields does), so the index finds the matches themselves (the list still tests them with
-- strpos, ILIKE's own definition). Its statistics know each pair's frequency, which the array of
-- characters could not tell the planner.
--
-- The function is built-in C functions only: the pairs at even offsets and at odd offsets, each by
-- one regexp_replace that ends every pair with U+0001 (which no stored text holds: input with C0
-- controls is refused) and one split. ~60 µs a row to build the index, ~3× the characters index's
-- size (99 MB against 28 MB at a million products). Its declared COST (1000, ten times an SQL
-- function's default) is what keeps the planner from evaluating it row by row: at the default, a
-- count of a common character ("e") chose a sequential scan computing it for all million rows (7 s)
-- over the bitmap scan of this index that never computes it (0.3 s). Prisma's schema language cannot express an index
-- on an expression, so this one lives here only (the schema-sync check skips such indexes).
CREATE FUNCTION "Product_search_grams"(searched text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
  RETURN array_remove(
    string_to_array(searched, NULL)
      || string_to_array(regexp_replace(searched, '(..)', E'\\1\x01', 'g'), E'\x01')
      || string_to_array(regexp_replace(substr(searched, 2), '(..)', E'\\1\x01', 'g'), E'\x01'),
    '');

CREATE INDEX "Product_search_grams_idx" ON "Product" USING GIN ("Product_search_grams"(lower("name" || ' ' || "sku" || ' ' || "description")));

-- ANALYZE keeps the frequencies of the most common elements only, and guesses half the rarest kept
-- frequency for any other: with the default target (100: a sample of 30,000 rows) that was 0.2 % for
-- a pair that occurs nowhere, so for "ml" the planner walked the primary key through the whole
-- table to find 21 matches (0.5 s at a million rows) instead of reading the index's empty list
-- (0.2 ms). At 1000 (a sample of 300,000 rows) every pair present in more than ~0.01 % of products
-- has its own frequency, and the guess for the others falls below that; 250 and 400 were not enough
-- on the benchmark's catalogue, 600 was. The price: ANALYZE of "Product" computes the function for
-- each sampled row, 9 s at a million products instead of 0.9 s (autovacuum does it in the
-- background, after a tenth of the rows changed; stock decrements count as changes).
ALTER INDEX "Product_search_grams_idx" ALTER COLUMN 1 SET STATISTICS 1000;

DROP INDEX "Product_search_chars_idx";
