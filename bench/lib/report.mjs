// Turns the rounds into medians, ratios and pass/fail against the targets of issue 7.
export const TARGETS = {
  S0: { ratio: 0.5 },
  S1: { ratio: 0.6, p99Ms: 50 },
  S2: { ratio: 0.8, p99Ms: 50 },
  S3: { ratio: 0.8 },
  peakRssMB: 250,
}

export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return null
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function summariseTarget(runs) {
  const measured = runs.filter((r) => r?.available)
  if (measured.length === 0) return { available: false, reason: runs.find((r) => r?.reason)?.reason ?? 'not measured' }
  return {
    available: true,
    rounds: measured.length,
    rps: median(measured.map((r) => r.rps)),
    p50: median(measured.map((r) => r.p50)),
    p99: median(measured.map((r) => r.p99)),
    requests: measured.reduce((sum, r) => sum + r.requests, 0),
    failed: measured.reduce((sum, r) => sum + r.errors + r.unexpected, 0),
    statusCodes: measured.reduce((acc, r) => {
      for (const [code, n] of Object.entries(r.statusCodes)) acc[code] = (acc[code] ?? 0) + n
      return acc
    }, {}),
    peakRssMB: Math.max(...measured.map((r) => r.peakRssMB ?? 0)),
  }
}

/** rounds: [{ S0: { service, baseline }, … }]; serverPeaks: { service, baseline } VmHWM in MB. */
export function summarise(rounds, scenarios, serverPeaks) {
  const perScenario = scenarios.map(({ id, label }) => {
    const runs = rounds.map((round) => round[id])
    const service = summariseTarget(runs.map((r) => r?.service))
    const baseline = summariseTarget(runs.map((r) => r?.baseline))
    const ratios = runs.filter((r) => r?.service?.available && r?.baseline?.available).map((r) => r.service.rps / r.baseline.rps)
    const ratio = median(ratios)
    const target = TARGETS[id]
    const checks = {}
    if (ratio !== null) checks.ratio = { target: target.ratio, value: ratio, pass: ratio >= target.ratio }
    if (target.p99Ms && service.available) checks.p99 = { targetMs: target.p99Ms, value: service.p99, pass: service.p99 < target.p99Ms }
    return { id, label, service, baseline, ratios, ratio, checks }
  })
  const rss =
    serverPeaks.service === undefined ? undefined : { targetMB: TARGETS.peakRssMB, value: serverPeaks.service, pass: serverPeaks.service < TARGETS.peakRssMB }
  const allChecks = [...perScenario.flatMap((s) => Object.values(s.checks)), ...(rss ? [rss] : [])]
  const complete = perScenario.every((s) => s.service.available && s.baseline.available)
  return {
    scenarios: perScenario,
    peakRss: { ...serverPeaks, check: rss },
    failedRequests: perScenario.reduce((sum, s) => sum + (s.service.failed ?? 0) + (s.baseline.failed ?? 0), 0),
    complete,
    pass: complete && allChecks.every((c) => c.pass),
  }
}

const num = (v, digits = 0) => (v === null || v === undefined ? '-' : v.toFixed(digits))
const verdict = (check) => (check ? (check.pass ? 'PASS' : 'FAIL') : '')

export function printSummary(summary, { rounds, duration }) {
  const lines = []
  lines.push('')
  lines.push(`Medians of ${rounds} round(s) x ${duration} s per scenario; ratio = service / baseline req/s (median of per-round ratios)`)
  for (const s of summary.scenarios) {
    lines.push('')
    lines.push(`${s.id}  ${s.label}`)
    lines.push(
      `  ${'target'.padEnd(10)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'failed'.padStart(9)}${'peak RSS MB'.padStart(13)}`,
    )
    for (const name of ['service', 'baseline']) {
      const t = s[name]
      if (!t.available) {
        lines.push(`  ${name.padEnd(10)}not available (${t.reason})`)
        continue
      }
      lines.push(
        `  ${name.padEnd(10)}${num(t.rps, 0).padStart(10)}${num(t.p50).padStart(9)}${num(t.p99).padStart(9)}${String(t.failed).padStart(9)}${num(t.peakRssMB).padStart(13)}`,
      )
    }
    const parts = []
    if (s.checks.ratio) parts.push(`ratio ${num(s.ratio, 2)} (target >= ${s.checks.ratio.target}) ${verdict(s.checks.ratio)}`)
    else parts.push('ratio -')
    if (s.checks.p99) parts.push(`p99 ${num(s.checks.p99.value)} ms (target < ${s.checks.p99.targetMs} ms) ${verdict(s.checks.p99)}`)
    lines.push(`  ${parts.join('   ')}`)
  }
  const { service, baseline, check } = summary.peakRss
  lines.push('')
  lines.push(
    `Peak RSS over the whole run (VmHWM): service ${num(service)} MB, baseline ${num(baseline)} MB` +
      (check ? `   (target: service < ${check.targetMB} MB) ${verdict(check)}` : ''),
  )
  lines.push(`Failed requests (errors, timeouts, unexpected status): ${summary.failedRequests}`)
  lines.push(summary.complete ? `Targets: ${summary.pass ? 'all met' : 'NOT all met'}` : 'Targets: not judged (some scenarios were not available)')
  console.log(lines.join('\n'))
}
