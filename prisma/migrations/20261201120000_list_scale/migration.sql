-- Lists at a million rows (issue 17).
--
-- Searches of one or two characters. `search` matches a case-insensitive substring of name, sku or
-- description (ILIKE '%term%'); the trigram indexes serve terms of three characters and more, but a
-- shorter term has no trigram, so it used to read the whole table. This index holds, per product,
-- every distinct one- and two-character substring of lower(name), lower(sku) and lower(description)
-- (never across two columns); the list asks `product_search_grams(...) @> ARRAY[lower(term)]` to find
-- the candidates and keeps the ILIKE as the exact test (ILIKE compares lower-cased text too), so the
-- results are the same as before. Prisma's schema language cannot express an index on an
-- expression, so this one lives here only (the schema-sync check skips such indexes).
CREATE FUNCTION "product_search_grams"(name text, sku text, description text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    -- About 100 µs a row: costed so, the planner only ever uses it through the index (as a filter
    -- on a million rows it took 100 s), or on the few rows a page walks.
    COST 10000
AS $$
    SELECT array(
        SELECT DISTINCT substr(s, i, n)
          FROM unnest(ARRAY[lower(name), lower(sku), lower(description)]) AS s,
               generate_series(1, 2) AS n,
               generate_series(1, length(s) - n + 1) AS i)
$$;

CREATE INDEX "Product_search_grams_idx" ON "Product" USING GIN ("product_search_grams"("name", "sku", "description"));

-- Staff may order all orders by total (?ordering=total / -total): without an index that was a
-- sort of the whole table for every page.
CREATE INDEX "Order_total_id_idx" ON "Order"("total", "id");
