'use strict'
// Printing results: one table per case as it finishes, a summary of every ratio at the end, and
// the machine-readable document written to bench/results/.
const os = require('node:os')

function formatNumber (value, scale = 1) {
  if (value === undefined) return '–' // a figure this platform cannot measure
  const scaled = value * scale
  if (Math.abs(scaled) >= 100) return Math.round(scaled).toLocaleString('en-US')
  return scaled.toFixed(Math.abs(scaled) >= 10 ? 1 : 2)
}

function pad (cells, widths) {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')
}

function table (rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)))
  return rows.map((row) => '  ' + pad(row, widths))
}

/** `met`, `NOT met`, or `invalid run` when the run's figures cannot be judged (met is null). */
function verdict (met) {
  if (met === null) return 'invalid run'
  return met ? 'met' : 'NOT met'
}

function targetNote (ratio) {
  if (ratio.target === null) return ''
  return ` (target ≥ ${ratio.target}: ${verdict(ratio.meetsTarget)})`
}

/** The range of the per-round ratios, e.g. `0.91–1.04`. */
function spread ({ roundRatios }) {
  return `${Math.min(...roundRatios).toFixed(2)}–${Math.max(...roundRatios).toFixed(2)}`
}

function ratioLine (ratio) {
  return `${ratio.subject} / ${ratio.baseline}: ${ratio.ratio.toFixed(3)}× ${ratio.metric} (rounds ${spread(ratio)})${targetNote(ratio)}`
}

function limitLine (limit, columns) {
  const [, label, scale] = columns.find(([key]) => key === limit.metric)
  return `${limit.side}: ${formatNumber(limit.value, scale)} ${label} (target < ${limit.max}: ${verdict(limit.meetsLimit)})`
}

/** The lines printed for one case (or a skipped scenario). */
function caseReport (result) {
  const title = `${result.scenario}${result.case === undefined ? '' : ' · ' + result.case}`
  if (result.status === 'skipped' || result.status === 'failed') return [`${title}: ${result.status} (${result.reason})`, '']
  const lines = [`${title}${result.description === undefined ? '' : ' — ' + result.description}`]
  const measured = Object.entries(result.sides).filter(([, side]) => side.median !== undefined)
  lines.push(...table([
    ['side', ...result.columns.map(([, label]) => label)],
    ...measured.map(([name, side]) => [name, ...result.columns.map(([key, , scale]) => formatNumber(side.median[key], scale))])
  ]))
  for (const ratio of result.ratios) lines.push('  ' + ratioLine(ratio))
  for (const limit of result.limits) lines.push('  ' + limitLine(limit, result.columns))
  for (const note of result.notes) lines.push('  note: ' + note)
  lines.push('')
  return lines
}

/** Every ratio and limit of the run in one table: the figures the README quotes. */
function summaryReport (results) {
  const rows = [['scenario · case', 'comparison', 'ratio', 'rounds', 'target']]
  for (const result of results) {
    const title = `${result.scenario}${result.case === undefined ? '' : ' · ' + result.case}`
    if (result.status === 'skipped' || result.status === 'failed') rows.push([title, `${result.status}: ${result.reason}`, '', '', ''])
    for (const ratio of result.ratios ?? []) {
      const flag = result.status === 'invalid' ? ' (invalid run)' : ''
      rows.push([title, `${ratio.subject} / ${ratio.baseline} (${ratio.metric})${flag}`, ratio.ratio.toFixed(3) + '×', spread(ratio),
        ratio.target === null ? '' : `≥ ${ratio.target} ${verdict(ratio.meetsTarget)}`])
    }
    for (const limit of result.limits ?? []) {
      const [, label, scale] = result.columns.find(([key]) => key === limit.metric)
      rows.push([title, `${limit.side} ${label}`, formatNumber(limit.value, scale), '', `< ${limit.max} ${verdict(limit.meetsLimit)}`])
    }
  }
  return ['Summary', ...table(rows), '']
}

/** The document written to bench/results/<time>.json. */
function resultsDocument (results, settings, pinning) {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    platform: `${os.platform()} ${os.release()}`,
    pinning,
    settings,
    scenarios: results.map(({ columns, ...result }) => result)
  }
}

module.exports = { caseReport, summaryReport, resultsDocument }
