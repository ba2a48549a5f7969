// The Python contenders of `node bench/run.mjs --python`: FastAPI (uvicorn, asyncpg) and Django REST
// framework (gunicorn, psycopg2), in bench/python/, each implementing the contract subset of
// bench/independent-baseline.mjs as a user of that framework writes it, started with production
// settings and logging at info to the same file as the service's logs.
import { spawnSync } from 'node:child_process'
import { cpus } from 'node:os'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './net.mjs'
import { startServer } from './processes.mjs'

const PYTHON_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'python')
const CORES = cpus().length

/** What each contender imports, the Debian 12 packages that provide it, and how it is started. */
export const PYTHON_SERVERS = {
  fastapi: {
    label: 'FastAPI (uvicorn, asyncpg)',
    modules: ['fastapi', 'uvicorn', 'asyncpg', 'jwt', 'uvloop', 'httptools'],
    packages: 'python3-fastapi python3-uvicorn python3-asyncpg python3-jwt python3-uvloop python3-httptools',
    // One worker per core, each with its share of the pool; uvloop and httptools (uvicorn[standard]).
    workers: CORES,
    args: (port, workers) => [
      '-m',
      'uvicorn',
      'fastapi_app:app',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--workers',
      String(workers),
      '--loop',
      'uvloop',
      '--http',
      'httptools',
      '--log-level',
      'info',
    ],
  },
  drf: {
    label: 'DRF (gunicorn, psycopg2)',
    modules: ['django', 'rest_framework', 'psycopg2', 'gunicorn', 'jwt'],
    packages: 'python3-djangorestframework python3-psycopg2 gunicorn python3-jwt',
    // gunicorn's recommended (2 x cores) + 1 workers, threaded (bench/python/gunicorn.conf.py); a persistent connection per thread.
    workers: 2 * CORES + 1,
    args: () => ['-m', 'gunicorn', '--config', 'gunicorn.conf.py', 'drf_app.wsgi'],
  },
}

/**
 * The interpreter that can import every module `name` needs: $PYTHON, else Debian's /usr/bin/python3
 * (where apt installs), else python3 on the PATH. Returns { python, versions } or { reason }.
 */
export function findPython(name) {
  const { modules, packages } = PYTHON_SERVERS[name]
  const script = `import importlib, json; print(json.dumps({m: getattr(importlib.import_module(m), '__version__', '?') for m in ${JSON.stringify(modules)}}))`
  const candidates = [...new Set([process.env.PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean))]
  const errors = []
  for (const python of candidates) {
    const run = spawnSync(python, ['-c', script], { encoding: 'utf8' })
    if (run.status === 0) return { python, versions: JSON.parse(run.stdout) }
    errors.push(`${python}: ${run.error ? run.error.code : (run.stderr.trim().split('\n').at(-1) ?? `exit ${run.status}`)}`)
  }
  return { reason: `no Python with ${modules.join(', ')} (${errors.join('; ')}); on Debian 12: apt-get install -y ${packages}, or set PYTHON` }
}

/** Starts contender `name` with `python` on a free port; its pool totals `poolMax` connections. */
export async function startPythonServer({ name, python, databaseUrl, jwtSecret, poolMax, logFile }) {
  const { workers, args } = PYTHON_SERVERS[name]
  const port = await freePort()
  const env = {
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: String(Math.max(1, Math.floor(poolMax / workers))), // FastAPI: each worker's asyncpg pool
    THREADS: String(Math.max(1, Math.floor(poolMax / workers))), // DRF: each worker's threads, one connection each
    JWT_SECRET: jwtSecret,
    PYTHONPATH: '',
    PYTHONUNBUFFERED: '',
  }
  return startServer({ name, command: python, args: args(port, workers), cwd: PYTHON_DIR, env, port, readyPath: '/health/live', logFile })
}
