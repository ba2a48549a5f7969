-- Product counts kept in the same transaction as every product write (issue 17).
--
-- A page-number list answers an exact `count`. PostgreSQL keeps no row count, so counting the public
-- catalogue read all of its rows on every request (~150-210 ms at a million products). These rows
-- hold, per category, how many products each audience sees: `visible` (active and not archived:
-- the public catalogue), `unarchived` (staff's default view) and `total` (staff with
-- includeArchived=true). The unfiltered lists sum them (one row per category), a category's list
-- reads its row. Triggers on "Product" keep them in the writing transaction, so a count is exactly
-- what a committed snapshot holds, under any concurrency.
--
-- Cost: a product insert, delete, archive, (de)activation or move to another category also updates
-- its category's row (product writes in one category queue on that row's lock, for the rest of their
-- transaction: staff writes, a few a minute). Order placement and stock changes do not touch it: the
-- UPDATE trigger fires only when active, "archivedAt" or "categoryId" is written.
-- Bulk loads (COPY, INSERT … SELECT) are counted once per statement (transition tables). Anything that
-- bypasses triggers (session_replication_role = replica, pg_restore --disable-triggers) must end with
-- SELECT "Product_recount"();
CREATE TABLE "CategoryProductCount" (
    "categoryId" INTEGER NOT NULL,
    "visible" INTEGER NOT NULL DEFAULT 0,
    "unarchived" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CategoryProductCount_pkey" PRIMARY KEY ("categoryId"),
    CONSTRAINT "CategoryProductCount_counts_check" CHECK ("visible" >= 0 AND "visible" <= "unarchived" AND "unarchived" <= "total")
);

ALTER TABLE "CategoryProductCount" ADD CONSTRAINT "CategoryProductCount_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Rows inserted: added per category, in categoryId order (two bulk inserts lock the rows they share in the same order).
CREATE FUNCTION "Product_count_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "CategoryProductCount" AS c ("categoryId", "visible", "unarchived", "total")
  SELECT "categoryId",
         count(*) FILTER (WHERE "active" AND "archivedAt" IS NULL),
         count(*) FILTER (WHERE "archivedAt" IS NULL),
         count(*)
  FROM inserted GROUP BY "categoryId" ORDER BY "categoryId"
  ON CONFLICT ("categoryId") DO UPDATE
    SET "visible" = c."visible" + EXCLUDED."visible", "unarchived" = c."unarchived" + EXCLUDED."unarchived", "total" = c."total" + EXCLUDED."total";
  RETURN NULL;
END $$;

CREATE FUNCTION "Product_count_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "CategoryProductCount" AS c
  SET "visible" = c."visible" - d."visible", "unarchived" = c."unarchived" - d."unarchived", "total" = c."total" - d."total"
  FROM (
    SELECT "categoryId",
           count(*) FILTER (WHERE "active" AND "archivedAt" IS NULL) AS "visible",
           count(*) FILTER (WHERE "archivedAt" IS NULL) AS "unarchived",
           count(*) AS "total"
    FROM deleted GROUP BY "categoryId"
  ) AS d
  WHERE c."categoryId" = d."categoryId";
  RETURN NULL;
END $$;

-- (Parameters are prefixed: in an SQL function a column of the same name would win.)
CREATE FUNCTION "Product_count_add"(p_category integer, p_visible integer, p_unarchived integer) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "CategoryProductCount" AS c ("categoryId", "visible", "unarchived", "total") VALUES (p_category, p_visible, p_unarchived, 1)
  ON CONFLICT ("categoryId") DO UPDATE
    SET "visible" = c."visible" + EXCLUDED."visible", "unarchived" = c."unarchived" + EXCLUDED."unarchived", "total" = c."total" + 1
$$;

CREATE FUNCTION "Product_count_remove"(p_category integer, p_visible integer, p_unarchived integer) RETURNS void LANGUAGE sql AS $$
  UPDATE "CategoryProductCount" AS c
  SET "visible" = c."visible" - p_visible, "unarchived" = c."unarchived" - p_unarchived, "total" = c."total" - 1
  WHERE c."categoryId" = p_category
$$;

-- One row whose visibility or category changed: the old category loses it, the new one gains it;
-- moving between categories locks the two rows in categoryId order (two products moved in opposite
-- directions cannot deadlock). The new category's row may not exist yet (an upsert adds it).
CREATE FUNCTION "Product_count_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_visible integer := (OLD."active" AND OLD."archivedAt" IS NULL)::int;
  old_unarchived integer := (OLD."archivedAt" IS NULL)::int;
  new_visible integer := (NEW."active" AND NEW."archivedAt" IS NULL)::int;
  new_unarchived integer := (NEW."archivedAt" IS NULL)::int;
BEGIN
  IF OLD."categoryId" = NEW."categoryId" THEN
    UPDATE "CategoryProductCount"
    SET "visible" = "visible" + new_visible - old_visible, "unarchived" = "unarchived" + new_unarchived - old_unarchived
    WHERE "categoryId" = NEW."categoryId";
    RETURN NULL;
  END IF;
  IF OLD."categoryId" < NEW."categoryId" THEN
    PERFORM "Product_count_remove"(OLD."categoryId", old_visible, old_unarchived);
    PERFORM "Product_count_add"(NEW."categoryId", new_visible, new_unarchived);
  ELSE
    PERFORM "Product_count_add"(NEW."categoryId", new_visible, new_unarchived);
    PERFORM "Product_count_remove"(OLD."categoryId", old_visible, old_unarchived);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "Product_count_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "CategoryProductCount";
  RETURN NULL;
END $$;

-- Recounts from the table (after a load that bypassed the triggers); returns the number of categories counted.
CREATE FUNCTION "Product_recount"() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE counted integer;
BEGIN
  LOCK TABLE "Product" IN SHARE MODE; -- no product write between the recount and its commit
  DELETE FROM "CategoryProductCount";
  INSERT INTO "CategoryProductCount" ("categoryId", "visible", "unarchived", "total")
  SELECT "categoryId", count(*) FILTER (WHERE "active" AND "archivedAt" IS NULL), count(*) FILTER (WHERE "archivedAt" IS NULL), count(*)
  FROM "Product" GROUP BY "categoryId";
  GET DIAGNOSTICS counted = ROW_COUNT;
  RETURN counted;
END $$;

CREATE TRIGGER "Product_count_inserted" AFTER INSERT ON "Product" REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "Product_count_inserted"();
CREATE TRIGGER "Product_count_deleted" AFTER DELETE ON "Product" REFERENCING OLD TABLE AS deleted
  FOR EACH STATEMENT EXECUTE FUNCTION "Product_count_deleted"();
CREATE TRIGGER "Product_count_updated" AFTER UPDATE OF "active", "archivedAt", "categoryId" ON "Product"
  FOR EACH ROW
  WHEN ((OLD."active" AND OLD."archivedAt" IS NULL) IS DISTINCT FROM (NEW."active" AND NEW."archivedAt" IS NULL)
     OR (OLD."archivedAt" IS NULL) IS DISTINCT FROM (NEW."archivedAt" IS NULL)
     OR OLD."categoryId" IS DISTINCT FROM NEW."categoryId")
  EXECUTE FUNCTION "Product_count_updated"();
CREATE TRIGGER "Product_count_truncated" AFTER TRUNCATE ON "Product"
  FOR EACH STATEMENT EXECUTE FUNCTION "Product_count_truncated"();

SELECT "Product_recount"();
