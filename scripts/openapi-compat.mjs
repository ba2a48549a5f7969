#!/usr/bin/env node
// The compatibility gate of /v1 (`npm run openapi:compat`): compares the committed document
// (openapi/v1.json) with the last released one (openapi/v1.released.json) using openapi-diff,
// (plus its own check of enum values), and fails on a breaking change: a removed path, operation,
// response field or enum value, a new required request field, a narrowed type. Additions pass.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiDiff from 'openapi-diff'

const root = resolve(fileURLToPath(import.meta.url), '..', '..')
export const RELEASED = resolve(root, 'openapi', 'v1.released.json')
export const CURRENT = resolve(root, 'openapi', 'v1.json')

const spec = (location, document) => ({ location, format: 'openapi3', content: JSON.stringify(document) })

/**
 * Enum values of `released` missing at the same place in `current`. openapi-diff reports a
 * narrowed enum only where it sees one inline in a request; a client switching over a response
 * enum (or sending a value it read) breaks all the same. An enum that disappears entirely widens.
 */
export function removedEnumValues(released, current, pointer = '') {
  if (typeof released !== 'object' || released === null || typeof current !== 'object' || current === null) return []
  const found = []
  if (Array.isArray(released.enum) && Array.isArray(current.enum)) {
    const gone = released.enum.filter((value) => !current.enum.includes(value))
    if (gone.length > 0) found.push(`enum.value.remove: ${pointer || '/'} (${gone.map((v) => JSON.stringify(v)).join(', ')})`)
  }
  for (const key of Object.keys(released)) {
    if (key === 'enum' || key === 'example' || key === 'examples' || !(key in current)) continue
    found.push(...removedEnumValues(released[key], current[key], `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`))
  }
  return found
}

/** The breaking differences from `released` to `current`, one line each (empty when compatible). */
export async function breakingChanges(released, current) {
  const result = await openapiDiff.diffSpecs({
    sourceSpec: spec('v1.released.json', released),
    destinationSpec: spec('v1.json', current),
  })
  const differences = result.breakingDifferencesFound ? result.breakingDifferences : []
  return [
    ...differences.map((difference) => {
      const where = [...difference.sourceSpecEntityDetails, ...difference.destinationSpecEntityDetails].map((d) => d.location)
      return `${difference.code}: ${[...new Set(where)].join(', ')}`
    }),
    ...removedEnumValues(released, current),
  ]
}

async function main() {
  const read = (file) => JSON.parse(readFileSync(file, 'utf8'))
  const changes = await breakingChanges(read(RELEASED), read(CURRENT))
  if (changes.length === 0) {
    console.log('openapi/v1.json is compatible with the released v1 (openapi/v1.released.json)')
    return 0
  }
  console.error(`Breaking change(s) to the released v1 API (openapi/v1.released.json → openapi/v1.json):\n  ${changes.join('\n  ')}`)
  console.error(
    '\n/v1 only grows. Keep the old shape (add instead of change), or serve the new one under /v2 and deprecate the old operation ' +
      '(README, "API description and clients"). If the released document itself was wrong, correct it in openapi/v1.released.json in the same commit, and say why.',
  )
  return 1
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`openapi:compat failed: ${err?.stack ?? err}`)
      process.exit(1)
    },
  )
}
