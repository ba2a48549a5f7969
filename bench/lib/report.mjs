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
    peakPssMB: Math.max(...measured.map((r) => r.peakPssMB ?? 0)),
  }
}

/** { median, perRound } of a / b req/s over the rounds where both were measured. */
function roundRatios(runs, a, b) {
  const perRound = runs.filter((r) => r?.[a]?.available && r?.[b]?.available).map((r) => r[a].rps / r[b].rps)
  return { median: median(perRound), perRound }
}

/**
 * rounds: [{ S0: { service, baseline, independent, … }, … }]; baselines: the names of the servers
 * the service is compared with; serverPeaks: { service, … } VmHWM in MB. Each ratio is the median
 * of the per-round ratios: `ratios` service / each other server, `relative` each server / the
 * judged baseline (the issue's table).
 */
export function summarise(rounds, scenarios, baselines, serverPeaks) {
  const perScenario = scenarios.map(({ id, label }) => {
    const runs = rounds.map((round) => round[id])
    const servers = Object.fromEntries(['service', ...baselines].map((name) => [name, summariseTarget(runs.map((r) => r?.[name]))]))
    const ratios = Object.fromEntries(baselines.map((baseline) => [baseline, roundRatios(runs, 'service', baseline)]))
    const relative = Object.fromEntries(Object.keys(servers).map((name) => [name, roundRatios(runs, name, JUDGED_BASELINE)]))
    const ratio = ratios[JUDGED_BASELINE]?.median ?? null
    const target = TARGETS[id]
    const checks = {}
    if (ratio !== null) checks.ratio = { target: target.ratio, against: JUDGED_BASELINE, value: ratio, pass: ratio >= target.ratio }
    if (target.p99Ms && servers.service.available) checks.p99 = { targetMs: target.p99Ms, value: servers.service.p99, pass: servers.service.p99 < target.p99Ms }
    return { id, label, servers, ratios, relative, ratio, checks }
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

/** Every server's req/s as a multiple of the judged baseline's, per scenario, with each server's peak RSS. */
function relativeTable(summary) {
  const names = Object.keys(summary.scenarios[0]?.servers ?? {}).filter((name) => name !== JUDGED_BASELINE)
  const cell = (text, width = 12) => String(text).padStart(width)
  const lines = [`Relative to the ${JUDGED_BASELINE} baseline (server req/s / ${JUDGED_BASELINE} req/s, median of per-round ratios):`]
  lines.push(`  ${'scenario'.padEnd(10)}${cell(`${JUDGED_BASELINE} req/s`, 18)}${names.map((n) => cell(n)).join('')}`)
  for (const s of summary.scenarios) {
    lines.push(`  ${s.id.padEnd(10)}${cell(num(s.servers[JUDGED_BASELINE]?.rps), 18)}${names.map((n) => cell(num(s.relative[n]?.median, 2))).join('')}`)
  }
  lines.push(
    `  ${'peak RSS'.padEnd(10)}${cell(`${num(summary.peakRss[JUDGED_BASELINE])} MB`, 18)}${names.map((n) => cell(`${num(summary.peakRss[n])} MB`)).join('')}`,
  )
  const pss = (name) => `${num(Math.max(...summary.scenarios.map((s) => s.servers[name]?.peakPssMB ?? 0)))} MB`
  lines.push(`  ${'peak PSS'.padEnd(10)}${cell(pss(JUDGED_BASELINE), 18)}${names.map((n) => cell(pss(n))).join('')}`)
  lines.push(
    '  (RSS: VmHWM summed over the process tree, pages a pre-fork server shares counted once per process; PSS: sampled every 100 ms, shared pages divided)',
  )
  return lines
}

export function printSummary(summary, { rounds, duration }, machine) {
  const lines = []
  if (machine) {
    lines.push('')
    lines.push(
      `Machine: ${machine.cores} x ${machine.cpu}, ${machine.memoryGB} GiB, ${machine.os}, Node.js ${machine.node}, PostgreSQL ${machine.postgres}; load average ${machine.loadAverageAtStart.join(' ')} at the start, ${machine.loadAverageAtEnd?.join(' ') ?? '?'} at the end`,
    )
  }
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
  lines.push('', ...relativeTable(summary), '')
  lines.push(`Failed requests (errors, timeouts, unexpected status): ${summary.failedRequests}`)
  lines.push(summary.complete ? `Targets: ${summary.pass ? 'all met' : 'NOT all met'}` : 'Targets: not judged (some scenarios were not available)')
  console.log(lines.join('\n'))
}
