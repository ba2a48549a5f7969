// Server child processes: start, wait until they answer, stop, and read their memory.
import { spawn } from 'node:child_process'
import { openSync, readFileSync, closeSync } from 'node:fs'

const running = new Set()

/**
 * Starts `node <script>` with `env` on 127.0.0.1:<port> and waits until GET <readyPath>
 * answers 200. stdout (the service's JSON logs) goes to `logFile` (default /dev/null);
 * the last few KB of stderr are kept for error messages.
 */
export async function startServer({ name, script, env, port, readyPath, logFile = '/dev/null', timeoutMs = 60_000 }) {
  const out = openSync(logFile, 'a')
  const child = spawn(process.execPath, [script], { env: { ...process.env, ENV_FILE: '', ...env }, stdio: ['ignore', out, 'pipe'] })
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

/** VmRSS / VmHWM (peak) of a process in MB, from /proc (Linux); undefined elsewhere. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
    return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 }
  } catch {
    return undefined
  }
}

/** Polls VmRSS every 100 ms; stop() returns the highest value seen, in MB. */
export function sampleRss(pid) {
  let max = memoryOf(pid)?.rssMB
  const timer = setInterval(() => {
    const rss = memoryOf(pid)?.rssMB
    if (rss !== undefined && !(rss <= max)) max = rss
  }, 100)
  return {
    stop() {
      clearInterval(timer)
      return max
    },
  }
}
