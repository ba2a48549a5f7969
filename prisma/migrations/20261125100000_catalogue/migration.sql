-- Catalogue (issue 4).

-- Categories get a row version like products: the strong ETag and If-Match are derived from it.
ALTER TABLE "Category" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;

-- Trigram indexes for ?search= (case-insensitive substring match, Prisma `contains` +
-- `mode: 'insensitive'` = ILIKE '%term%'): a B-tree cannot serve a leading wildcard, a trigram
-- GIN index can. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension since
-- PostgreSQL 13, so a database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "Product_name_trgm_idx" ON "Product" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "Product_sku_trgm_idx" ON "Product" USING GIN ("sku" gin_trgm_ops);
CREATE INDEX "Product_description_trgm_idx" ON "Product" USING GIN ("description" gin_trgm_ops);
