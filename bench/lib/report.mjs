// Turns the rounds into medians, ratios and pass/fail. The targets are issue 19's, against the
// independent baseline (bench/independent-baseline.mjs); the ratios against the copy-of-the-SQL
// baseline (bench/baseline-server.mjs) are reported beside them, to tell framework cost from SQL cost.
export const TARGETS = {
  S0: { ratio: 0.6 },
  S1: { ratio: 0.75, p99Ms: 50 },
  S2: { ratio: 1.0, p99Ms: 50 },
  S3: { ratio: 0.85 },
  peakRssMB: 250,
}
/** The baseline the targets are judged against. */
export const JUDGED_BASELINE = 'independent'

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

/**
 * rounds: [{ S0: { service, baseline, independent }, … }]; baselines: the names of the baselines;
 * serverPeaks: { service, … } VmHWM in MB. Each ratio is the median of the per-round ratios.
 */
export function summarise(rounds, scenarios, baselines, serverPeaks) {
  const perScenario = scenarios.map(({ id, label }) => {
    const runs = rounds.map((round) => round[id])
    const servers = Object.fromEntries(['service', ...baselines].map((name) => [name, summariseTarget(runs.map((r) => r?.[name]))]))
    const ratios = {}
    for (const baseline of baselines) {
      const perRound = runs.filter((r) => r?.service?.available && r?.[baseline]?.available).map((r) => r.service.rps / r[baseline].rps)
      ratios[baseline] = { median: median(perRound), perRound }
    }
    const ratio = ratios[JUDGED_BASELINE]?.median ?? null
    const target = TARGETS[id]
    const checks = {}
    if (ratio !== null) checks.ratio = { target: target.ratio, against: JUDGED_BASELINE, value: ratio, pass: ratio >= target.ratio }
    if (target.p99Ms && servers.service.available) checks.p99 = { targetMs: target.p99Ms, value: servers.service.p99, pass: servers.service.p99 < target.p99Ms }
    return { id, label, servers, ratios, ratio, checks }
  })
  const rss =
    serverPeaks.service === undefined ? undefined : { targetMB: TARGETS.peakRssMB, value: serverPeaks.service, pass: serverPeaks.service <= TARGETS.peakRssMB }
  const allChecks = [...perScenario.flatMap((s) => Object.values(s.checks)), ...(rss ? [rss] : [])]
  const complete = perScenario.every((s) => Object.values(s.servers).every((t) => t.available))
  return {
    scenarios: perScenario,
    peakRss: { ...serverPeaks, check: rss },
    failedRequests: perScenario.reduce((sum, s) => sum + Object.values(s.servers).reduce((n, t) => n + (t.failed ?? 0), 0), 0),
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
      `  ${'server'.padEnd(13)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'failed'.padStart(9)}${'peak RSS MB'.padStart(13)}   service / this (per round)`,
    )
    for (const [name, t] of Object.entries(s.servers)) {
      if (!t.available) {
        lines.push(`  ${name.padEnd(13)}not available (${t.reason})`)
        continue
      }
      const ratio = s.ratios[name]
      const ratioText = ratio ? `   ${num(ratio.median, 2)} (${ratio.perRound.map((r) => r.toFixed(2)).join(', ')})` : ''
      lines.push(
        `  ${name.padEnd(13)}${num(t.rps, 0).padStart(10)}${num(t.p50).padStart(9)}${num(t.p99).padStart(9)}${String(t.failed).padStart(9)}${num(t.peakRssMB).padStart(13)}${ratioText}`,
      )
    }
    const parts = []
    if (s.checks.ratio) parts.push(`ratio vs ${s.checks.ratio.against} ${num(s.ratio, 2)} (target >= ${s.checks.ratio.target}) ${verdict(s.checks.ratio)}`)
    else parts.push('ratio -')
    if (s.checks.p99) parts.push(`p99 ${num(s.checks.p99.value)} ms (target < ${s.checks.p99.targetMs} ms) ${verdict(s.checks.p99)}`)
    lines.push(`  ${parts.join('   ')}`)
  }
  const { check, ...peaks } = summary.peakRss
  lines.push('')
  lines.push(
    `Peak RSS over the whole run (VmHWM): ${Object.entries(peaks)
      .map(([name, mb]) => `${name} ${num(mb)} MB`)
      .join(', ')}` + (check ? `   (target: service <= ${check.targetMB} MB) ${verdict(check)}` : ''),
  )
  lines.push(`Failed requests (errors, timeouts, unexpected status): ${summary.failedRequests}`)
  lines.push(summary.complete ? `Targets: ${summary.pass ? 'all met' : 'NOT all met'}` : 'Targets: not judged (some scenarios were not available)')
  console.log(lines.join('\n'))
}
