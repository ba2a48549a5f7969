// A private Redis (Debian's redis-server) on a free port, so the drill can restart it without
// disturbing anyone else's use of the machine's Redis. Nothing is persisted.
import { spawn } from 'node:child_process'
import { createConnection } from 'node:net'
import { untilTrue } from './wait.mjs'

export function defineRedis({ port, binary = 'redis-server' }) {
  const redis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    child: undefined,
    async start() {
      const child = spawn(binary, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
        stdio: 'ignore',
      })
      redis.child = child
      const failed = new Promise((_, reject) => child.once('error', reject))
      await Promise.race([failed, untilTrue(`redis-server on :${port}`, 10_000, () => ping(port))])
    },
    async stop() {
      const child = redis.child
      if (!child || child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
  return redis
}

/** true when something on the port answers PING with PONG. */
function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
  })
}
