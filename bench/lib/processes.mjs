// Server child processes: start, wait until they answer, stop, and read their memory.
import { spawn } from 'node:child_process'
import { openSync, readFileSync, closeSync } from 'node:fs'

const running = new Set()

/**
 * Starts `node <script>` (or `command args`, in `cwd`) with `env` on 127.0.0.1:<port> and waits
 * until GET <readyPath> answers 200. stdout (the service's JSON logs) goes to `logFile` (default
 * /dev/null); the last few KB of stderr are kept for error messages.
 */
export async function startServer({
  name,
  script,
  command = process.execPath,
  args = [script],
  cwd,
  env,
  port,
  readyPath,
  logFile = '/dev/null',
  timeoutMs = 60_000,
}) {
  const out = openSync(logFile, 'a')
  const child = spawn(command, args, { cwd, env: { ...process.env, ENV_FILE: '', ...env }, stdio: ['ignore', out, 'pipe'] })
  closeSync(out)
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000)
  })
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const server = {
    name,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    exited,
    stop: () => stopChild(child, exited),
  }
  running.add(server)
  exited.then(() => running.delete(server))

  const deadline = Date.now() + timeoutMs
  let gone = false
  exited.then(() => (gone = true))
  while (!gone) {
    try {
      const res = await fetch(`${server.url}${readyPath}`)
      await res.arrayBuffer()
      if (res.status === 200) return server
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop()
      throw new Error(`${name} did not become ready within ${timeoutMs / 1000} s:\n${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  const { code, signal } = await exited
  throw new Error(`${name} exited during start-up (code ${code}, signal ${signal}):\n${stderr}`)
}

async function stopChild(child, exited) {
  if (child.exitCode !== null || child.signalCode !== null) return exited
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  const result = await exited
  clearTimeout(timer)
  return result
}

/** Stops every server still running (on errors and Ctrl-C). */
export async function stopAllServers() {
  await Promise.all([...running].map((s) => s.stop()))
}

/** The process and its descendants (a pre-fork server's master and workers), from /proc (Linux). */
function processTree(pid) {
  const pids = [pid]
  for (let i = 0; i < pids.length; i++) {
    try {
      pids.push(...readFileSync(`/proc/${pids[i]}/task/${pids[i]}/children`, 'utf8').split(' ').filter(Boolean).map(Number))
    } catch {
      // gone, or no children file on this kernel
    }
  }
  return pids
}

function memoryOfOne(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
    return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 }
  } catch {
    return undefined
  }
}

/** Proportional set size in MB: shared pages divided among the processes that share them. */
function pssOfOne(pid) {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1]) / 1024
  } catch {
    return undefined
  }
}

const sum = (values) => values.reduce((total, v) => total + v, 0)

/**
 * VmRSS / VmHWM (peak) in MB of a process and its descendants, summed (for a multi-process
 * server the peak is the sum of each process's own peak, pages shared between them counted in
 * each); undefined when /proc is not there.
 */
export function memoryOf(pid) {
  const each = processTree(pid).map(memoryOfOne).filter(Boolean)
  if (each.length === 0) return undefined
  return { rssMB: sum(each.map((m) => m.rssMB)), peakMB: sum(each.map((m) => m.peakMB)) }
}

/** The summed PSS of a process and its descendants (multi-process servers share pages). */
function pssOf(pid) {
  const each = processTree(pid)
    .map(pssOfOne)
    .filter((v) => Number.isFinite(v))
  return each.length === 0 ? undefined : sum(each)
}

/** Polls VmRSS and PSS (process tree) every 100 ms; stop() returns the highest of each seen, in MB. */
export function sampleRss(pid) {
  const max = { rssMB: undefined, pssMB: undefined }
  const sample = () => {
    const rss = memoryOf(pid)?.rssMB
    const pss = pssOf(pid)
    if (rss !== undefined && !(rss <= max.rssMB)) max.rssMB = rss
    if (pss !== undefined && !(pss <= max.pssMB)) max.pssMB = pss
  }
  sample()
  const timer = setInterval(sample, 100)
  return {
    stop() {
      clearInterval(timer)
      return max
    },
  }
}
