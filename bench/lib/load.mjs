// Drives one scenario against one server with autocannon (in this process).
import autocannon from 'autocannon'

const inFlight = new Set()

/** Runs `scenario` for `duration` seconds over `connections` keep-alive connections. */
export function runLoad({ baseUrl, scenario, connections, duration }) {
  const requests = scenario.fixed ? [scenario.fixed] : [{ setupRequest: (request) => Object.assign(request, scenario.next()) }] // a fresh request object per call
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url: baseUrl, connections, duration, timeout: 10, requests }, (err, result) => {
      inFlight.delete(instance)
      if (err) reject(err)
      else resolve(summarise(result, scenario.status))
    })
    inFlight.add(instance)
  })
}

function summarise(result, expectedStatus) {
  const expected = result.statusCodeStats?.[expectedStatus]?.count ?? 0
  const total = result.requests.total
  return {
    rps: total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: total,
    errors: result.errors, // connection errors and timeouts
    timeouts: result.timeouts,
    unexpected: total - expected, // any status other than the scenario's own
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count])),
  }
}

/** Stops every running load (Ctrl-C). */
export function stopAllLoads() {
  for (const instance of inFlight) instance.stop()
}
