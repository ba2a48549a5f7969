-- Exact counts of searches of one to three characters at a million rows (issue 17).
--
-- A page-number list answers an exact `count`. For a short search that meant reading every match:
-- a common character is in ~900,000 of a million products (seconds per request), a common pair in
-- ~50,000, a common triple in ~30,000. A term of one to three characters without spaces (the API
-- trims it) is a substring of the lower-cased name, sku or description exactly when it is one of
-- the "grams" of their lower-cased text joined by spaces: its characters, adjacent pairs and
-- adjacent triples (a gram that spans two fields holds a space, which such a term does not). So
-- these rows hold, per gram, how many products each audience sees: `visible` (active, unarchived),
-- `unarchived` and `total`, as "CategoryProductCount" does per category. Triggers on "Product" keep
-- them in the writing transaction, so a count is exactly what a committed snapshot holds, under
-- any concurrency. A list with such a term and no filter but the view and `active` reads one row
-- here instead of counting its matches.
--
-- Cost: a product insert, delete, archive, (de)activation or text edit also updates the rows of its
-- grams (~100–200 for a product with a sentence of description), in gram order; every product
-- holds the gram ' ' (the fields are joined by spaces), which sorts first, so such product writes
-- queue on that row's lock for the rest of their transaction: staff writes, one at a time. Order
-- placement and stock changes do not touch it: the UPDATE trigger fires only when a searched
-- column, active or "archivedAt" changed. Bulk loads (COPY, INSERT … SELECT) are counted once per
-- statement. Anything that bypasses triggers must end with SELECT "Product_recount"(); which
-- rebuilds these rows too. Rows of grams no product holds any more stay, at zero, until that
-- recount.
CREATE TABLE "SearchGramCount" (
    "gram" TEXT NOT NULL,
    "visible" INTEGER NOT NULL DEFAULT 0,
    "unarchived" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SearchGramCount_pkey" PRIMARY KEY ("gram")
);

-- One product's grams, each once: the characters and pairs of "Product_search_grams_idx"'s key, and
-- the triples, cut as the pairs are (three passes, at offsets 0, 1 and 2; a pass's last piece is a
-- shorter suffix, itself a gram).
CREATE FUNCTION "Product_distinct_grams"(p_name text, p_sku text, p_description text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT DISTINCT gram
  FROM (SELECT lower(p_name || ' ' || p_sku || ' ' || p_description) AS t) AS searched,
       unnest("Product_search_grams"(t)
         || string_to_array(regexp_replace(t, '(...)', E'\\1\x01', 'g'), E'\x01')
         || string_to_array(regexp_replace(substr(t, 2), '(...)', E'\\1\x01', 'g'), E'\x01')
         || string_to_array(regexp_replace(substr(t, 3), '(...)', E'\\1\x01', 'g'), E'\x01')) AS gram
  WHERE gram <> ''
$$;

-- Adds signed counts per gram in one statement, in gram order (two writers lock the rows they share
-- in the same order). No CHECK (counts >= 0) as on "CategoryProductCount": PostgreSQL checks the row
-- an upsert proposes before it finds the conflict, and here that row carries the (negative) change.
CREATE FUNCTION "SearchGramCount_add"(p_grams text[], p_visible integer[], p_unarchived integer[], p_total integer[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "SearchGramCount" AS c ("gram", "visible", "unarchived", "total")
  SELECT g, v, u, t FROM unnest(p_grams, p_visible, p_unarchived, p_total) AS d(g, v, u, t)
  WHERE v <> 0 OR u <> 0 OR t <> 0
  ORDER BY g COLLATE "C"
  ON CONFLICT ("gram") DO UPDATE
    SET "visible" = c."visible" + EXCLUDED."visible", "unarchived" = c."unarchived" + EXCLUDED."unarchived", "total" = c."total" + EXCLUDED."total"
$$;

CREATE FUNCTION "Product_grams_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "SearchGramCount_add"(array_agg(gram), array_agg(v), array_agg(u), array_agg(t))
  FROM (
    SELECT gram, count(*) FILTER (WHERE i."active" AND i."archivedAt" IS NULL)::int AS v,
           count(*) FILTER (WHERE i."archivedAt" IS NULL)::int AS u, count(*)::int AS t
    FROM inserted i, "Product_distinct_grams"(i."name", i."sku", i."description") AS gram
    GROUP BY gram
  ) AS d;
  RETURN NULL;
END $$;

CREATE FUNCTION "Product_grams_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "SearchGramCount_add"(array_agg(gram), array_agg(-v), array_agg(-u), array_agg(-t))
  FROM (
    SELECT gram, count(*) FILTER (WHERE d."active" AND d."archivedAt" IS NULL)::int AS v,
           count(*) FILTER (WHERE d."archivedAt" IS NULL)::int AS u, count(*)::int AS t
    FROM deleted d, "Product_distinct_grams"(d."name", d."sku", d."description") AS gram
    GROUP BY gram
  ) AS d;
  RETURN NULL;
END $$;

-- One row whose text or visibility changed: its old grams lose it, its new grams gain it (the grams
-- of both with the same counts cancel out and are not written).
CREATE FUNCTION "Product_grams_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "SearchGramCount_add"(array_agg(gram), array_agg(v), array_agg(u), array_agg(t))
  FROM (
    SELECT gram, sum(v)::int AS v, sum(u)::int AS u, sum(t)::int AS t
    FROM (
      SELECT gram, -(OLD."active" AND OLD."archivedAt" IS NULL)::int AS v, -(OLD."archivedAt" IS NULL)::int AS u, -1 AS t
      FROM "Product_distinct_grams"(OLD."name", OLD."sku", OLD."description") AS gram
      UNION ALL
      SELECT gram, (NEW."active" AND NEW."archivedAt" IS NULL)::int, (NEW."archivedAt" IS NULL)::int, 1
      FROM "Product_distinct_grams"(NEW."name", NEW."sku", NEW."description") AS gram
    ) AS signed
    GROUP BY gram
  ) AS d;
  RETURN NULL;
END $$;

CREATE FUNCTION "Product_grams_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "SearchGramCount";
  RETURN NULL;
END $$;

CREATE TRIGGER "Product_grams_inserted" AFTER INSERT ON "Product" REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "Product_grams_inserted"();
CREATE TRIGGER "Product_grams_deleted" AFTER DELETE ON "Product" REFERENCING OLD TABLE AS deleted
  FOR EACH STATEMENT EXECUTE FUNCTION "Product_grams_deleted"();
CREATE TRIGGER "Product_grams_updated" AFTER UPDATE OF "name", "sku", "description", "active", "archivedAt" ON "Product"
  FOR EACH ROW
  WHEN (OLD."name" IS DISTINCT FROM NEW."name" OR OLD."sku" IS DISTINCT FROM NEW."sku" OR OLD."description" IS DISTINCT FROM NEW."description"
     OR (OLD."active" AND OLD."archivedAt" IS NULL) IS DISTINCT FROM (NEW."active" AND NEW."archivedAt" IS NULL)
     OR (OLD."archivedAt" IS NULL) IS DISTINCT FROM (NEW."archivedAt" IS NULL))
  EXECUTE FUNCTION "Product_grams_updated"();
CREATE TRIGGER "Product_grams_truncated" AFTER TRUNCATE ON "Product"
  FOR EACH STATEMENT EXECUTE FUNCTION "Product_grams_truncated"();

-- The recount after a load that bypassed the triggers now rebuilds the gram counts as well.
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
  RETURN counted;
END $$;

INSERT INTO "SearchGramCount" ("gram", "visible", "unarchived", "total")
SELECT gram, count(*) FILTER (WHERE p."active" AND p."archivedAt" IS NULL), count(*) FILTER (WHERE p."archivedAt" IS NULL), count(*)
FROM "Product" p, "Product_distinct_grams"(p."name", p."sku", p."description") AS gram
GROUP BY gram;
