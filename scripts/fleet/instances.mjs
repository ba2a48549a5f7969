// Instances of the built service (dist/main.js) on fixed ports, restartable on the same port.
import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { sleep, untilTrue } from './wait.mjs'

/**
 * One instance: `start()` spawns `node dist/main.js` with `env` on `port` and waits for
 * /health/ready; `signal()` sends a signal; `exited` resolves with the exit code of the
 * current process. Logs go to <logDir>/<name>.log (appended across restarts).
 */
export function defineInstance({ name, port, env, logDir }) {
  const instance = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    child: undefined,
    exited: Promise.resolve({ code: null, signal: null }),
    starts: 0,
    async start(timeoutMs = 60_000) {
      const log = openSync(join(logDir, `${name}.log`), 'a')
      const child = spawn(process.execPath, ['dist/main.js'], {
        env: { PATH: process.env.PATH, ...env, PORT: String(port) },
        stdio: ['ignore', log, log],
      })
      closeSync(log)
      instance.child = child
      instance.starts += 1
      let gone = false
      instance.exited = new Promise((resolve) =>
        child.once('exit', (code, signal) => {
          gone = true
          resolve({ code, signal })
        }),
      )
      await untilTrue(`${name} ready on :${port}`, timeoutMs, async () => {
        if (gone) throw new Error(`${name} exited during start-up: see ${join(logDir, `${name}.log`)}`)
        return (await probeReady(instance.url)) === 200
      })
      return instance
    },
    signal(sig) {
      if (instance.child && instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill(sig)
    },
    async stop() {
      if (!instance.child || instance.child.exitCode !== null || instance.child.signalCode !== null) return
      instance.signal('SIGTERM')
      const timer = setTimeout(() => instance.signal('SIGKILL'), 20_000)
      await instance.exited
      clearTimeout(timer)
    },
  }
  return instance
}

/** Status of GET /health/ready, or 0 when nothing answers (not listening). */
export async function probeReady(url) {
  try {
    const res = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) })
    await res.arrayBuffer()
    return res.status
  } catch {
    return 0
  }
}

export { sleep }
