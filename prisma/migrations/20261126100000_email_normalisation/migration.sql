-- E-mail addresses in one canonical form (src/auth/email/normalise-email.ts: NFKC, lower case,
-- "i" + U+0307 folded to "i", NFKC again), and unique regardless of case in the database too,
-- whatever writes to it.
--
-- Existing rows are brought into that form. If two rows become the same address (say
-- "ada@example.com" and a fullwidth "ａｄａ@example.com", both registered before this fix), the
-- migration fails with an error naming them and changes nothing: which account keeps the address
-- is for the operator to decide (README, "E-mail addresses"). Give the others another address, e.g.
--   UPDATE "User" SET email = 'shadowed-' || id || '@invalid' WHERE id = <id>;
-- and run the migrations again.
--
-- Prisma's schema language cannot express an index on an expression, so "User_email_lower_key"
-- lives here only; the schema-sync check (scripts/check-schema-sync.cjs) does not compare such indexes.

CREATE TEMPORARY TABLE "EmailNormalisation" ON COMMIT DROP AS
SELECT id, email, normalize(replace(lower(normalize(email, NFKC)), E'i\u0307', 'i'), NFKC) AS normalised
  FROM "User";

DO $$
DECLARE
    collisions text;
BEGIN
    SELECT string_agg(format('%s (user ids %s)', normalised, ids), '; ')
      INTO collisions
      FROM (SELECT normalised, string_agg(id::text, ', ' ORDER BY id) AS ids
              FROM "EmailNormalisation"
             GROUP BY normalised
            HAVING count(*) > 1) AS duplicate;
    IF collisions IS NOT NULL THEN
        RAISE EXCEPTION 'accounts whose e-mail addresses become the same when normalised: %. Give all but one of each another address and migrate again (README, "E-mail addresses").', collisions;
    END IF;
END
$$;

UPDATE "User" AS u
   SET email = n.normalised
  FROM "EmailNormalisation" AS n
 WHERE u.id = n.id AND u.email <> n.normalised;

CREATE UNIQUE INDEX "User_email_lower_key" ON "User" (lower(email));
