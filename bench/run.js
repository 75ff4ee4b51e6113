'use strict'
// `npm run bench [-- [--quick] [scenario ...]]`: runs the scenarios in bench/scenarios/, prints a
// table per case and a summary of ratios, and writes bench/results/<UTC date and time>.json.
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { parseArgs } = require('node:util')
const { pinLoadGenerator, runScenario, serverNodeArgs } = require('./harness')
const { findNginx, installNginx } = require('./nginx')
const { caseReport, summaryReport, resultsDocument } = require('./report')
const { scenarioNames } = require('./scenario')

const usage = `usage: node bench/run.js [options] [scenario | path/to/scenario.js ...]
  --quick              smoke run: short rounds, no warm-up (about a minute for everything)
  --duration <s>       seconds per round and side (default 2; quick 0.2)
  --warmup <s>         warm-up seconds per side before the rounds (default 1; quick 0)
  --rounds <n>         rounds, each side once per round, A B A B ... (default 5; quick 3)
  --processes <n>      server processes per side, the rounds spread over them, each warmed up
                       (default: one per round; quick 1)
  --connections <n>    autocannon connections (default 50)
  --pipelining <n>     autocannon pipelining (default 1)
  --output <file>      where to write the results (default bench/results/<UTC time>.json,
                       e.g. bench/results/2026-12-02T0612Z.json)
  --baseline <dir>     another build of fastify-responses (a checkout with dist/ built): scenarios
                       that support it add its sides, measured in the same run
  --install-nginx      apt-get install nginx-light first when nginx is missing (otherwise nginx
                       sides are skipped with the reason)
  --no-pin             do not pin servers and load generator to separate cores
  --case <name>        run only the cases of that name (repeatable), e.g. --case '10 MiB'
  --list               list the scenarios
scenarios: ${scenarioNames().join(', ')}`

function parseSettings (argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      processes: { type: 'string' },
      connections: { type: 'string' },
      pipelining: { type: 'string' },
      output: { type: 'string' },
      baseline: { type: 'string' },
      case: { type: 'string', multiple: true },
      'install-nginx': { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false }
    }
  })
  const defaults = values.quick ? { duration: 0.2, warmup: 0, rounds: 3 } : { duration: 2, warmup: 1, rounds: 5 }
  const number = (name, fallback, minimum = Number.MIN_VALUE) => {
    if (values[name] === undefined) return fallback
    const value = Number(values[name])
    if (!(value >= minimum)) throw new Error(`--${name} must be a number ≥ ${minimum}`)
    return value
  }
  const settings = {
    quick: values.quick,
    connections: number('connections', 50),
    pipelining: number('pipelining', 1),
    duration: number('duration', defaults.duration),
    warmup: number('warmup', defaults.warmup, 0),
    rounds: number('rounds', defaults.rounds),
    cases: values.case
  }
  settings.processes = number('processes', values.quick ? 1 : settings.rounds, 1)
  if (settings.rounds < 3) throw new Error('--rounds must be at least 3: the median needs them')
  const unknown = positionals.filter((name) => !scenarioNames().includes(name) && !(name.endsWith('.js') && fs.existsSync(name)))
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}`)
  if (values.baseline !== undefined) {
    const baseline = path.resolve(values.baseline)
    if (!fs.existsSync(path.join(baseline, 'dist', 'index.js'))) throw new Error(`--baseline ${values.baseline}: no dist/index.js there (build it first)`)
    // Read by the scenarios in this process and in every server process (which inherit it).
    process.env.BENCH_BASELINE = baseline
  }
  return { settings, values, scenarios: positionals.length > 0 ? positionals : scenarioNames() }
}

/** Where the --baseline build came from: its directory and, when it is a git checkout, its commit. */
function baselineOf (dir) {
  if (dir === undefined) return undefined
  const git = spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' })
  return { dir, commit: git.status === 0 ? git.stdout.trim() : undefined }
}

/** bench/results/2026-12-02T0612Z.json: the run's start, in UTC to the minute (seconds if that name is taken). */
function defaultOutput (start) {
  const dir = path.join(__dirname, 'results')
  fs.mkdirSync(dir, { recursive: true })
  const iso = start.toISOString()
  const minute = path.join(dir, `${iso.slice(0, 13)}${iso.slice(14, 16)}Z.json`)
  return fs.existsSync(minute) ? path.join(dir, `${iso.slice(0, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z.json`) : minute
}

async function main () {
  const { settings, values, scenarios } = parseSettings(process.argv.slice(2))
  if (values.help || values.list) {
    console.log(values.help ? usage : scenarioNames().join('\n'))
    return
  }
  const output = values.output ?? defaultOutput(new Date())
  const pinning = values['no-pin'] ? { enabled: false, reason: '--no-pin' } : pinLoadGenerator()
  const log = (line) => process.stderr.write(line + '\n')
  if (values['install-nginx']) {
    try {
      installNginx(log)
    } catch (err) {
      log(err.message)
    }
  }
  if (findNginx() === undefined) log('nginx is not installed: nginx sides are skipped (npm run bench -- --install-nginx installs nginx-light)')
  log(`node ${process.version}; ${settings.connections} connections, pipelining ${settings.pipelining}, ` +
    `${settings.rounds} rounds × ${settings.duration} s over ${Math.min(settings.processes, settings.rounds)} server processes per side, each after ${settings.warmup} s warm-up; ` +
    (pinning.enabled ? `servers on CPU ${pinning.serverCpu}, load on CPU ${pinning.loadCpu}` : `not pinned (${pinning.reason})`) +
    `; servers under load run with node ${serverNodeArgs.join(' ')}`)

  const results = []
  for (const name of scenarios) {
    for (const result of await runScenario(name, settings, pinning, log)) {
      console.log(caseReport(result).join('\n'))
      results.push(result)
    }
  }
  console.log(summaryReport(results).join('\n'))

  const document = resultsDocument(results, { ...settings, serverNodeArgs, baseline: baselineOf(process.env.BENCH_BASELINE) }, pinning)
  fs.writeFileSync(output + '.tmp', JSON.stringify(document, null, 2) + '\n')
  fs.renameSync(output + '.tmp', output)
  log(`results written to ${path.relative(process.cwd(), output)}`)
}

main().catch((err) => {
  console.error(err.message)
  process.exitCode = 1
})
