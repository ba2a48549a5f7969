'use strict'
// The scripts' copy of src/config/env-file.ts: `.env` (or ENV_FILE; `ENV_FILE=` for none) into
// process.env; variables already set win. Node's own parser (util.parseEnv), no dotenv.
const { existsSync, readFileSync } = require('node:fs')
const { parseEnv } = require('node:util')

function loadEnvFile(env = process.env) {
  const file = env.ENV_FILE ?? '.env'
  if (file === '') return undefined
  if (!existsSync(file)) {
    if (env.ENV_FILE === undefined) return undefined
    console.error(`ENV_FILE=${file}: no such file (unset ENV_FILE to read .env if it exists, or set ENV_FILE= to read none)`)
    process.exit(1)
  }
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (env[name] === undefined) env[name] = value
  }
  return file
}

module.exports = { loadEnvFile }
