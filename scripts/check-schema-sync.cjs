#!/usr/bin/env node
// Checks that a database migrated with prisma/migrations matches prisma/schema.prisma, using the DMMF
// written by `prisma generate` (generator "dmmf"). Replaces Prisma's drift check
// (`prisma migrate diff --from-migrations … --exit-code`), which needs the native schema engine.
// Compares: tables, columns (type, NOT NULL, default present), primary keys, unique constraints,
// indexes, foreign keys (+ ON DELETE/UPDATE), enums; names must follow Prisma's conventions.
// Not compared, because Prisma's schema language cannot express them: CHECK constraints, indexes
// on expressions (e.g. "User_email_lower_key" on lower(email)), an index's INCLUDE columns (its
// key columns are compared) and generated columns (e.g. "Product"."searchText") with their indexes;
// their migrations say so.
// Usage: DATABASE_URL=… node scripts/check-schema-sync.cjs   (exit 1 and a list of differences on drift)
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const { Client } = require('pg')

const DMMF_FILE = path.resolve(__dirname, '..', 'src', 'generated', 'dmmf.json')
const SCALAR = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
}
const NATIVE = {
  Text: () => 'text',
  Uuid: () => 'uuid',
  Citext: () => 'citext',
  Inet: () => 'inet',
  Xml: () => 'xml',
  VarChar: (a) => (a[0] ? `character varying(${a[0]})` : 'character varying'),
  Char: (a) => `character(${a[0] ?? 1})`,
  Bit: (a) => `bit(${a[0] ?? 1})`,
  VarBit: (a) => (a[0] ? `bit varying(${a[0]})` : 'bit varying'),
  SmallInt: () => 'smallint',
  Integer: () => 'integer',
  BigInt: () => 'bigint',
  Oid: () => 'oid',
  Real: () => 'real',
  DoublePrecision: () => 'double precision',
  Money: () => 'money',
  Decimal: (a) => (a.length ? `numeric(${a.join(',')})` : 'numeric(65,30)'),
  Boolean: () => 'boolean',
  Date: () => 'date',
  Json: () => 'json',
  JsonB: () => 'jsonb',
  ByteA: () => 'bytea',
  Timestamp: (a) => `timestamp(${a[0] ?? 3}) without time zone`,
  Timestamptz: (a) => `timestamp(${a[0] ?? 3}) with time zone`,
  Time: (a) => `time(${a[0] ?? 3}) without time zone`,
  Timetz: (a) => `time(${a[0] ?? 3}) with time zone`,
}
const FK_ACTION = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' }
const CLIENT_SIDE_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid'])

function expectedType(field, enumDbName) {
  let t
  if (field.kind === 'enum') t = enumDbName(field.type)
  else if (field.nativeType) {
    const f = NATIVE[field.nativeType[0]]
    if (!f) return null // unknown native type: not checked
    t = f(field.nativeType[1] || [])
  } else t = SCALAR[field.type]
  return t && field.isList ? `${t}[]` : t
}

async function readDb(client, schema) {
  const q = async (sql) => (await client.query(sql, [schema])).rows
  return {
    columns: await q(`SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
        a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity <> '' AS identity
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r','p') AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''`),
    indexes: await q(`SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
        ix.indexprs IS NOT NULL OR EXISTS (SELECT 1 FROM pg_attribute g WHERE g.attrelid = t.oid AND g.attnum = ANY(ix.indkey) AND g.attgenerated <> '') AS expression,
        array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
              WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord)::text[] AS columns
      FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = $1`),
    fks: await q(`SELECT t.relname AS table, con.conname AS name, rt.relname AS ref_table,
        con.confdeltype AS on_delete, con.confupdtype AS on_update,
        array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
        array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS ref_columns
      FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_class rt ON rt.oid = con.confrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace WHERE con.contype = 'f' AND n.nspname = $1`),
    enums: await q(`SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1 GROUP BY t.typname`),
  }
}

function compare(dm, db) {
  const problems = []
  const enumDbName = (name) => dm.enums.find((e) => e.name === name)?.dbName ?? name
  const tableOf = (modelName) => {
    const m = dm.models.find((x) => x.name === modelName)
    return m.dbName ?? m.name
  }
  const colOf = (model, fieldName) => {
    const f = model.fields.find((x) => x.name === fieldName)
    return f.dbName ?? f.name
  }
  const unquote = (t) => t.replace(/"/g, '')
  const expectedTables = new Set(dm.models.map((m) => m.dbName ?? m.name))
  for (const t of new Set(db.columns.map((c) => c.table)))
    if (!expectedTables.has(t) && t !== '_prisma_migrations') problems.push(`table "${t}" exists in the database but not in the schema`)

  for (const model of dm.models) {
    const table = model.dbName ?? model.name
    const cols = new Map(db.columns.filter((c) => c.table === table).map((c) => [c.column, c]))
    if (cols.size === 0) {
      problems.push(`table "${table}" (model ${model.name}) is missing`)
      continue
    }
    const scalars = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum')
    const expectedCols = new Set(scalars.map((f) => f.dbName ?? f.name))
    for (const c of cols.keys()) if (!expectedCols.has(c)) problems.push(`column "${table}"."${c}" exists in the database but not in the schema`)
    for (const f of scalars) {
      const name = f.dbName ?? f.name
      const c = cols.get(name)
      const where = `"${table}"."${name}"`
      if (!c) {
        problems.push(`column ${where} (${model.name}.${f.name}) is missing`)
        continue
      }
      const want = expectedType(f, enumDbName)
      if (want && unquote(c.type) !== want) problems.push(`column ${where}: type is ${c.type}, schema wants ${want}`)
      if (!f.isList && c.notnull !== f.isRequired)
        problems.push(`column ${where}: ${c.notnull ? 'NOT NULL' : 'nullable'} in the database, ${f.isRequired ? 'required' : 'optional'} in the schema`)
      const wantsDbDefault = f.hasDefaultValue && !(f.default && CLIENT_SIDE_DEFAULTS.has(f.default.name))
      const hasDbDefault = c.default !== null || c.identity
      if (wantsDbDefault !== hasDbDefault)
        problems.push(
          `column ${where}: database default ${hasDbDefault ? `is ${c.default ?? 'IDENTITY'}` : 'is missing'}, schema ${wantsDbDefault ? 'has @default' : 'has none'}`,
        )
    }
  }

  const idx = (table) => db.indexes.filter((i) => i.table === table)
  const sameCols = (a, b) => a.length === b.length && a.every((x, i) => x === b[i])
  for (const ix of dm.indexes) {
    const model = dm.models.find((m) => m.name === ix.model)
    const table = model.dbName ?? model.name
    const columns = ix.fields.map((f) => colOf(model, f.name))
    const kind = ix.type === 'id' ? 'primary key' : ix.type === 'unique' ? 'unique index' : 'index'
    const defaultName = ix.type === 'id' ? `${table}_pkey` : `${table}_${columns.join('_')}_${ix.type === 'unique' ? 'key' : 'idx'}`
    const name = ix.dbName ?? defaultName
    const found = idx(table).find((i) => i.name === name)
    if (!found) {
      const other = idx(table).find((i) => sameCols(i.columns, columns))
      problems.push(`${kind} "${name}" on "${table}"(${columns.join(', ')}) is missing${other ? ` (found "${other.name}" on the same columns)` : ''}`)
      continue
    }
    if (!sameCols(found.columns, columns)) problems.push(`${kind} "${name}": columns are (${found.columns}), schema wants (${columns})`)
    if (ix.type === 'id' && !found.primary) problems.push(`"${name}" is not the primary key`)
    if (ix.type === 'unique' && !found.unique) problems.push(`index "${name}" is not unique`)
    if (ix.type === 'normal' && found.unique) problems.push(`index "${name}" is unique, schema wants a plain index`)
  }
  const expectedIndexNames = new Set(
    dm.indexes.map((ix) => {
      const model = dm.models.find((m) => m.name === ix.model)
      const table = model.dbName ?? model.name
      const columns = ix.fields.map((f) => colOf(model, f.name))
      return ix.dbName ?? (ix.type === 'id' ? `${table}_pkey` : `${table}_${columns.join('_')}_${ix.type === 'unique' ? 'key' : 'idx'}`)
    }),
  )
  for (const i of db.indexes)
    if (expectedTables.has(i.table) && !i.expression && !expectedIndexNames.has(i.name))
      problems.push(`index "${i.name}" on "${i.table}" exists in the database but not in the schema`)

  const expectedFks = new Set()
  for (const model of dm.models) {
    const table = model.dbName ?? model.name
    for (const f of model.fields.filter((x) => x.kind === 'object' && x.relationFromFields?.length)) {
      const columns = f.relationFromFields.map((n) => colOf(model, n))
      const refModel = dm.models.find((m) => m.name === f.type)
      const refColumns = f.relationToFields.map((n) => colOf(refModel, n))
      const name = `${table}_${columns.join('_')}_fkey` // Prisma's default; a custom map: name is not in the DMMF,
      const fk = // so fall back to matching the constraint by its columns and referenced table.
        db.fks.find((x) => x.table === table && x.name === name) ??
        db.fks.find((x) => x.table === table && sameCols(x.columns, columns) && x.ref_table === tableOf(f.type))
      if (!fk) {
        problems.push(`foreign key "${name}" on "${table}"(${columns}) -> "${tableOf(f.type)}" is missing`)
        continue
      }
      expectedFks.add(fk.name)
      if (!sameCols(fk.columns, columns) || fk.ref_table !== tableOf(f.type) || !sameCols(fk.ref_columns, refColumns))
        problems.push(
          `foreign key "${name}": (${fk.columns}) -> "${fk.ref_table}"(${fk.ref_columns}), schema wants (${columns}) -> "${tableOf(f.type)}"(${refColumns})`,
        )
      const required = columns.every((c) => model.fields.find((x) => (x.dbName ?? x.name) === c)?.isRequired)
      const onDelete = f.relationOnDelete ?? (required ? 'Restrict' : 'SetNull')
      const onUpdate = f.relationOnUpdate ?? 'Cascade'
      if (FK_ACTION[fk.on_delete] !== onDelete) problems.push(`foreign key "${name}": ON DELETE ${FK_ACTION[fk.on_delete]}, schema wants ${onDelete}`)
      if (FK_ACTION[fk.on_update] !== onUpdate) problems.push(`foreign key "${name}": ON UPDATE ${FK_ACTION[fk.on_update]}, schema wants ${onUpdate}`)
    }
  }
  for (const fk of db.fks)
    if (!expectedFks.has(fk.name)) problems.push(`foreign key "${fk.name}" on "${fk.table}" exists in the database but not in the schema`)

  for (const e of dm.enums) {
    const name = e.dbName ?? e.name
    const labels = e.values.map((v) => v.dbName ?? v.name)
    const found = db.enums.find((x) => x.name === name)
    if (!found) problems.push(`enum type "${name}" is missing`)
    else if (!sameCols(found.labels, labels)) problems.push(`enum "${name}": values (${found.labels}), schema wants (${labels})`)
  }
  for (const e of db.enums)
    if (!dm.enums.some((x) => (x.dbName ?? x.name) === e.name)) problems.push(`enum type "${e.name}" exists in the database but not in the schema`)
  return problems
}

async function checkSchemaSync(url = process.env.DATABASE_URL, schema = 'public') {
  if (!fs.existsSync(DMMF_FILE)) throw new Error(`${DMMF_FILE} not found: run "npm run prisma:generate" first`)
  const dm = JSON.parse(fs.readFileSync(DMMF_FILE, 'utf8'))
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    return compare(dm, await readDb(client, schema))
  } finally {
    await client.end()
  }
}

module.exports = { checkSchemaSync }

if (require.main === module) {
  require('./env-file.cjs').loadEnvFile()
  checkSchemaSync()
    .then((problems) => {
      if (problems.length === 0) return console.log('Database matches prisma/schema.prisma.')
      console.error(`Database does not match prisma/schema.prisma (${problems.length}):\n- ${problems.join('\n- ')}`)
      process.exit(1)
    })
    .catch((e) => {
      console.error(e.message)
      process.exit(1)
    })
}
