#!/usr/bin/env node
// Minimal custom Prisma generator (documented generator API): writes the schema's DMMF datamodel
// to the generator's `output` so that scripts/check-schema-sync.cjs can compare it to the database.
const fs = require('node:fs')
const path = require('node:path')
const { generatorHandler } = require('@prisma/generator-helper')

generatorHandler({
  onManifest: () => ({ prettyName: 'DMMF JSON', defaultOutput: '../src/generated/dmmf.json' }),
  onGenerate: async (options) => {
    const out = options.generator.output?.value
    if (!out) throw new Error('dmmf generator: output is required')
    fs.mkdirSync(path.dirname(out), { recursive: true })
    fs.writeFileSync(out, JSON.stringify(options.dmmf.datamodel, null, 2) + '\n')
  },
})
