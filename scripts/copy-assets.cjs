#!/usr/bin/env node
// Build step: copies browser assets the service serves itself into dist/public,
// so the production image needs no dev dependency at run time (ReDoc for /redoc).
'use strict'
const fs = require('node:fs')
const path = require('node:path')

const out = path.resolve(__dirname, '..', 'dist', 'public')
fs.mkdirSync(out, { recursive: true })
fs.copyFileSync(require.resolve('redoc/bundles/redoc.standalone.js'), path.join(out, 'redoc.standalone.js'))
console.log('Copied redoc.standalone.js to dist/public')
