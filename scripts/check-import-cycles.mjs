#!/usr/bin/env node
// Part of `npm run lint`: fails when src/ has an import cycle, between two files or between two
// top-level folders (auth → users → auth through different files is a cycle of folders even when no
// file imports itself back). The files directly in src/ (main.ts, app.module.ts…, the composition
// root) count as one more folder: they import every feature, so no feature may import them back.
// madge parses the imports (type-only ones included); this script only groups them by folder.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import madge from 'madge'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ROOT_FOLDER = '(src root)'

const result = await madge(resolve(ROOT, 'src'), {
  fileExtensions: ['ts'],
  excludeRegExp: [/^generated\//, /\.spec\.ts$/],
  tsConfig: resolve(ROOT, 'tsconfig.json'),
  detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
})

const problems = []
for (const cycle of result.circular()) problems.push(`file cycle: ${[...cycle, cycle[0]].join(' → ')}`)

const folderOf = (file) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : ROOT_FOLDER)
/** folder → folder → one file-level import that makes the edge (for the message). */
const edges = new Map()
for (const [file, imports] of Object.entries(result.obj())) {
  for (const imported of imports) {
    const from = folderOf(file)
    const to = folderOf(imported)
    if (from === to) continue
    if (!edges.has(from)) edges.set(from, new Map())
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${file} → ${imported}`)
  }
}

for (const component of stronglyConnected(edges)) {
  const examples = component.flatMap((from) => component.filter((to) => edges.get(from)?.has(to)).map((to) => `    ${edges.get(from).get(to)}`))
  problems.push(`folder cycle: ${component.join(', ')}\n${examples.join('\n')}`)
}

if (problems.length > 0) {
  console.error(`Import cycles in src/ (scripts/check-import-cycles.mjs):\n${problems.map((p) => `  ${p}`).join('\n')}`)
  process.exit(1)
}
console.log(`No import cycles in src/ (${Object.keys(result.obj()).length} files, ${edges.size} folders with imports)`)

/** Tarjan's algorithm: the groups of folders that reach each other (only groups of two or more). */
function stronglyConnected(graph) {
  const index = new Map()
  const low = new Map()
  const stack = []
  const onStack = new Set()
  const components = []
  const visit = (node) => {
    index.set(node, index.size)
    low.set(node, index.get(node))
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node), low.get(next)))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)))
      }
    }
    if (low.get(node) !== index.get(node)) return
    const component = []
    let member
    do {
      member = stack.pop()
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    if (component.length > 1) components.push(component.sort())
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return components
}
