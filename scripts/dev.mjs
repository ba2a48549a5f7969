#!/usr/bin/env node
// npm run dev: the service in watch mode. `predev` builds once (Prisma client, the ReDoc bundle,
// the staff console); then TypeScript recompiles what changes in src/ (tsc --watch, incremental)
// and Node restarts dist/main.js when its output changes (node --watch). The embedded database
// keeps its data folder, so a restart only stops and starts the server: no initdb, no re-seed.
// Pretty logs: NODE_ENV is development unless set (LOG_PRETTY defaults to on there). Ctrl-C stops both.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const tsc = require.resolve('typescript/bin/tsc')
const children = []

function run(args, options = {}) {
  const child = spawn(process.execPath, args, { stdio: 'inherit', ...options })
  children.push(child)
  child.on('exit', (code, signal) => {
    if (stopping) return
    console.error(`npm run dev: ${args.join(' ')} stopped (${signal ?? `exit code ${code}`}); stopping.`)
    stop(code ?? 1)
  })
  return child
}

let stopping = false
function stop(code) {
  if (stopping) return
  stopping = true
  let left = children.filter((c) => c.exitCode === null && c.signalCode === null)
  if (left.length === 0) process.exit(code)
  for (const child of left) {
    child.once('exit', () => {
      left = left.filter((c) => c !== child)
      if (left.length === 0) process.exit(code)
    })
    child.kill('SIGTERM')
  }
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

// --preserveWatchOutput: tsc's "Found 0 errors" lines stay between the service's log lines.
run([tsc, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'])
run(['--watch', '--watch-preserve-output', 'dist/main.js'], { env: { NODE_ENV: 'development', ...process.env } })
