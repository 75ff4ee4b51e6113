'use strict'
// The measuring part: servers in child processes pinned to one core, the load generator (this
// process) on the other, every side of a case driven in turn (A, B, A, B ...) with the same
// settings, and medians compared as ratios.
const { spawn, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const http = require('node:http')
const os = require('node:os')
const path = require('node:path')
const autocannon = require('autocannon')
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')
const { findNginx } = require('./nginx')
const { casesOf, sidesOf, scenarioFile } = require('./scenario')

// Programs a side may need (`requires.commands`), each with how to find it.
const commands = { nginx: findNginx }

const serverScript = path.join(__dirname, 'server.js')

// V8 sizes each process's young generation by its own heuristics: measured on Node 20, about one
// server process in four kept a small one for its whole life and ran ~25 % slower on small JSON
// responses (more scavenges), whichever side it served, so a ratio could read 0.75 or 1.2 from one
// run to the next. Servers under load (autocannon's or a case's own) start with the young generation at its usual
// maximum (16 MiB semi-spaces on 64-bit), the same for every side. Cases with their own measure
// (memory, events) keep V8's defaults: a young generation that large shows up in RSS (idle SSE
// clients measured 36 KiB each with it, 26 KiB without).
const serverNodeArgs = ['--min-semi-space-size=16']

// autocannon 8 appends every response body to a string (`req.body += data`), kept only for its
// `expectBody`/`verifyBody` options, which the harness does not use. On 10 MiB responses that
// decoding saturates the load generator (seconds-long event-loop stalls, no response completed
// in a round), so the figure would be autocannon's, not the server's. Bodies are not kept.
const RequestsQueue = require('autocannon/lib/pipelinedRequestsQueue')
if (typeof RequestsQueue.prototype.addBody !== 'function') throw new Error('autocannon internals changed: review bench/harness.js')
RequestsQueue.prototype.addBody = function addBody () {}

/**
 * Pins this process (the load generator, all its threads) to CPU 1; servers then start on CPU 0.
 * Falls back to no pinning, with the reason, where taskset or a second CPU is missing.
 */
function pinLoadGenerator () {
  if (os.availableParallelism() < 2) return { enabled: false, reason: 'fewer than 2 CPUs' }
  const result = spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' })
  if (result.error !== undefined || result.status !== 0) return { enabled: false, reason: 'taskset (util-linux) missing or refused' }
  return { enabled: true, serverCpu: 0, loadCpu: 1 }
}

let cachedDecoratorCheck
/** `(name) => boolean`: whether the plugin decorates `reply.<name>`, asked of an app built once. */
async function decoratorCheck () {
  if (cachedDecoratorCheck === undefined) {
    const app = Fastify({ logger: false })
    await app.register(fastifyResponses)
    await app.ready()
    cachedDecoratorCheck = (name) => app.hasReplyDecorator(name)
  }
  return cachedDecoratorCheck
}

/** Why a scenario, case or side cannot run on this build (a feature not merged yet), or undefined. */
async function missingFeature (requires = {}, dir) {
  for (const name of requires.exports ?? []) {
    if (fastifyResponses[name] === undefined) return `fastify-responses does not export ${name}`
  }
  const hasDecorator = await decoratorCheck()
  for (const name of requires.decorators ?? []) {
    if (!hasDecorator(name)) return `reply.${name} is not decorated by fastify-responses`
  }
  for (const name of requires.commands ?? []) {
    if (commands[name] === undefined) throw new Error(`no way to find the command ${name}`)
    if (commands[name]() === undefined) return `${name} is not installed`
  }
  for (const name of requires.modules ?? []) {
    const file = path.resolve(dir, name)
    try {
      require.resolve(file)
    } catch {
      return `${path.relative(process.cwd(), file)}.js is missing`
    }
  }
  return undefined
}

/**
 * Whether a case measures request rates under load: autocannon's (no `measure` of its own) or a
 * case's own load generator (`load: true`, its measure resolving `{ figures, statuses }`). Those
 * servers start with `serverNodeArgs` and are warmed up; memory and event cases keep V8's defaults
 * and start cold.
 */
function isLoad (kase) {
  return kase.measure === undefined || kase.load === true
}

/** Starts one side's server in a child process; resolves once it listens. */
function startServer (file, kase, side, context, pinning) {
  const args = [...(isLoad(kase) ? serverNodeArgs : []), serverScript, file, kase.name, side.name]
  const [command, argv] = pinning.enabled
    ? ['taskset', ['-c', String(pinning.serverCpu), process.execPath, ...args]]
    : [process.execPath, args]
  const child = spawn(command, argv, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_CONTEXT: JSON.stringify(context ?? null) }
  })
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`the server of "${side.name}" exited (code ${code}) before listening`))
    child.once('exit', onExit)
    child.once('message', ({ port }) => {
      child.off('exit', onExit)
      resolve({ side, child, pid: child.pid, url: `http://127.0.0.1:${port}` })
    })
  })
}

function stopServer ({ child }) {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', resolve)
    child.kill()
  })
}

/** The server's resident set size in bytes: /proc where there is one, else asked over IPC. */
function readRss (server) {
  try {
    const status = fs.readFileSync(`/proc/${server.pid}/status`, 'utf8')
    return Promise.resolve(Number(/^VmRSS:\s+(\d+) kB/m.exec(status)[1]) * 1024)
  } catch {
    return new Promise((resolve) => {
      server.child.once('message', ({ rss }) => resolve(rss))
      server.child.send('rss')
    })
  }
}

/** One request over a fresh connection, to check what a side answers before loading it. */
function probeOnce (url, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    http.request(url, { method, headers, agent: false }, (res) => {
      let bytes = 0
      res.on('data', (chunk) => { bytes += chunk.length })
      res.on('end', () => resolve({ status: res.statusCode, bytes }))
      res.on('error', reject)
    }).on('error', reject).end()
  })
}

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100

/**
 * CPU seconds used so far by process `pid` and every process it started (nginx's master and
 * worker under its side's server), from /proc; undefined where there is none.
 */
function treeCpuSeconds (pid) {
  let entries
  try {
    entries = fs.readdirSync('/proc')
  } catch {
    return undefined
  }
  const processes = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      // After the command's closing parenthesis: state, ppid, ... utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      processes.push({ pid: Number(entry), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) })
    } catch {} // a process that ended while /proc was read
  }
  const tree = new Set([pid])
  for (let grew = true; grew;) {
    grew = false
    for (const { pid: child, ppid } of processes) {
      if (!tree.has(ppid) || tree.has(child)) continue
      tree.add(child)
      grew = true
    }
  }
  if (!processes.some((entry) => entry.pid === pid)) return undefined
  return processes.filter((entry) => tree.has(entry.pid)).reduce((sum, entry) => sum + entry.ticks, 0) / clockTicks
}

/**
 * Runs a load measure (autocannon's or a case's own, which resolves `{ figures, statuses }`, the
 * count of responses per status): responses with another status than the case's (200 unless it
 * says) become problems, and the figures get the share of a core the server used meanwhile (its
 * process tree, from /proc where there is one) and the share the load generator, this process,
 * used: a side whose load generator is near 100 % while its server is not is measured at the load
 * generator's limit, not its own.
 */
async function measureLoad (kase, readCpu, measure) {
  const serverBefore = readCpu()
  const loadBefore = process.cpuUsage()
  const started = performance.now()
  const { figures, statuses, problems = [] } = await measure()
  const seconds = (performance.now() - started) / 1000
  const load = process.cpuUsage(loadBefore)
  const serverAfter = readCpu()
  const serverCpu = serverBefore === undefined || serverAfter === undefined ? {} : { serverCpu: (serverAfter - serverBefore) / seconds }
  const expected = String(kase.status ?? 200)
  const unexpected = Object.entries(statuses)
    .filter(([status]) => status !== expected)
    .map(([status, count]) => [`responses with status ${status}`, count])
  return { figures: { ...figures, ...serverCpu, loadCpu: (load.user + load.system) / 1e6 / seconds }, problems: [...unexpected, ...problems] }
}

/** The default measure: autocannon for `duration` seconds; rates are totals over elapsed time. */
async function loadWithAutocannon (kase, { url, duration, settings }) {
  const result = await autocannon({
    url: url + (kase.path ?? '/'),
    connections: settings.connections,
    pipelining: settings.pipelining,
    duration,
    sampleInt: 50, // autocannon stops at a sample tick: keeps short runs close to `duration`
    ...kase.request
  })
  const problems = []
  if (result.errors > 0) problems.push(['connection errors', result.errors])
  if (result.timeouts > 0) problems.push(['timeouts', result.timeouts])
  return {
    figures: {
      requests: result.requests.total / result.duration,
      p99: result.latency.p99,
      throughput: result.throughput.total / result.duration
    },
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count])),
    problems
  }
}

const autocannonColumns = [['requests', 'req/s'], ['p99', 'p99 ms'], ['throughput', 'MB/s', 1e-6], ['serverCpu', 'server CPU %', 100], ['loadCpu', 'load CPU %', 100]]

function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function medians (rounds) {
  return Object.fromEntries(Object.keys(rounds[0]).map((key) => [key, median(rounds.map((round) => round[key]))]))
}

/**
 * Seconds per round: a case with large responses asks for longer rounds (`minDuration`) so that
 * enough of them complete; a quick run gives it one second at most.
 */
function roundDuration (kase, settings) {
  const minimum = kase.minDuration ?? 0
  return Math.max(settings.duration, settings.quick ? Math.min(minimum, 1) : minimum)
}

/** The sides of a case that this build can run; the others are noted with the reason. */
async function availableSides (kase, dir, notes) {
  const active = []
  for (const side of sidesOf(kase)) {
    const missing = await missingFeature(side.requires, dir)
    if (missing === undefined) active.push(side)
    else notes.push(`side "${side.name}" skipped: ${missing}`)
  }
  return active
}

/** One request to each side: what it answers is recorded, and noted when the sides disagree. */
async function checkSides (servers, kase, result) {
  const checks = await Promise.all(servers.map((server) => probeOnce(server.url + (kase.path ?? '/'), kase.request)))
  servers.forEach((server, i) => { result.sides[server.side.name].check = checks[i] })
  if (new Set(checks.map((check) => `${check.status} ${check.bytes}`)).size > 1) {
    result.notes.push(`sides answer differently: ${servers.map((s, i) => `${s.side.name} ${checks[i].status}, ${checks[i].bytes} B`).join('; ')}`)
  }
}

/** Rounds `first` to `end - 1`, each side once per round, in turn; records every round and any problem seen. */
async function runRounds (servers, kase, settings, measure, result, log, [first, end], problemCounts) {
  for (let round = first; round < end; round++) {
    for (const server of servers) {
      log(`  ${kase.name} · ${server.side.name} · round ${round + 1}`)
      const { figures, problems = [] } = await measure(server, roundDuration(kase, settings))
      const side = (result.sides[server.side.name] ??= {})
      side.rounds ??= []
      side.rounds.push(figures)
      const counts = problemCounts.get(server.side.name)
      for (const [problem, count] of problems) counts.set(problem, (counts.get(problem) ?? 0) + count)
    }
  }
}

/** Each side's medians over all its rounds; a side with problems makes the case invalid. */
function summarizeSides (result, problemCounts) {
  for (const [name, side] of Object.entries(result.sides)) {
    side.median = medians(side.rounds)
    side.problems = [...problemCounts.get(name)].map(([problem, count]) => `${count} ${problem}`)
    if (side.problems.length > 0) {
      result.status = 'invalid'
      result.notes.push(`side "${name}": ${side.problems.join(', ')}`)
    }
  }
}

/**
 * The rounds as `[first, end)` groups, one per server process: a process's speed is partly its own
 * (where V8 put its code and heap, what it optimized during warm-up: about ±2.5 % between processes
 * of the same side on this machine), so the rounds are spread over fresh processes and the median
 * sees several of them.
 */
function roundGroups (rounds, processes) {
  const count = Math.min(rounds, processes)
  return Array.from({ length: count }, (_, group) => [Math.floor(group * rounds / count), Math.floor((group + 1) * rounds / count)])
}

/** The case's ratios (subject median / baseline median) and limits, over the sides that ran. */
function compare (kase, result) {
  const metric = kase.metric ?? 'requests'
  for (const [subject, baseline, target] of kase.ratios ?? []) {
    const [a, b] = [result.sides[subject], result.sides[baseline]]
    if (a === undefined || b === undefined) continue
    if (!(b.median[metric] > 0)) {
      result.notes.push(`no ratio ${subject} / ${baseline}: the baseline's median ${metric} is 0 (rounds too short?)`)
      continue
    }
    const ratio = a.median[metric] / b.median[metric]
    // Each round's own ratio (the two sides ran seconds apart): their spread shows how noisy the machine was.
    const roundRatios = a.rounds.map((round, i) => round[metric] / b.rounds[i][metric])
    // An invalid run (errors, unexpected statuses) meets no target, whatever its ratio.
    const meetsTarget = target === undefined || result.status === 'invalid' ? null : ratio >= target
    result.ratios.push({ subject, baseline, metric, ratio, roundRatios, target: target ?? null, meetsTarget })
  }
  for (const [side, metric, max] of kase.limits ?? []) {
    if (result.sides[side] === undefined) continue
    const value = result.sides[side].median[metric]
    result.limits.push({ side, metric, value, max, meetsLimit: result.status === 'invalid' ? null : value <= max })
  }
}

/** Runs one case: per group of rounds its sides' servers up (a check request each the first time), warm-up, the rounds; then the ratios. */
async function runCase (file, kase, context, settings, pinning, log) {
  const result = { case: kase.name, status: 'ok', sides: {}, ratios: [], limits: [], notes: [] }
  const active = await availableSides(kase, path.dirname(file), result.notes)
  if (active.length === 0) return { ...result, status: 'skipped', reason: result.notes.join('; ') }

  const measureWith = kase.measure ?? ((probe) => loadWithAutocannon(kase, probe))
  const measure = (server, duration) => {
    const probe = () => measureWith({ url: server.url, duration, settings, readRss: () => readRss(server) })
    return isLoad(kase) ? measureLoad(kase, () => treeCpuSeconds(server.pid), probe) : probe()
  }
  const problemCounts = new Map(active.map((side) => [side.name, new Map()]))
  for (const rounds of roundGroups(kase.rounds ?? settings.rounds, settings.processes)) {
    const started = await Promise.allSettled(active.map((side) => startServer(file, kase, side, context, pinning)))
    const servers = started.filter(({ status }) => status === 'fulfilled').map(({ value }) => value)
    try {
      const failed = started.find(({ status }) => status === 'rejected')
      if (failed !== undefined) throw failed.reason
      for (const server of servers) ((result.sides[server.side.name] ??= {}).processes ??= []).push(server.pid)
      if (kase.measure === undefined && rounds[0] === 0) await checkSides(servers, kase, result)
      if (isLoad(kase) && settings.warmup > 0) for (const server of servers) await measure(server, settings.warmup)
      await runRounds(servers, kase, settings, measure, result, log, rounds, problemCounts)
    } finally {
      await Promise.all(servers.map(stopServer))
    }
  }
  summarizeSides(result, problemCounts)
  compare(kase, result)
  return result
}

/** Runs every case of a scenario, or reports it skipped with the reason. */
async function runScenario (nameOrFile, settings, pinning, log) {
  const file = scenarioFile(nameOrFile)
  const name = path.basename(file, '.js')
  const scenario = require(file)
  const missing = await missingFeature(scenario.requires, path.dirname(file))
  if (missing !== undefined) return [{ scenario: name, status: 'skipped', reason: missing }]
  const context = scenario.setup === undefined ? null : await scenario.setup(settings)
  const results = []
  try {
    let cases
    try {
      cases = casesOf(scenario).filter((kase) => settings.cases === undefined || settings.cases.includes(kase.name))
    } catch (err) {
      return [{ scenario: name, status: 'failed', reason: err.message }]
    }
    for (const kase of cases) {
      const missingForCase = await missingFeature(kase.requires, path.dirname(file))
      const result = missingForCase === undefined
        ? await runCase(file, kase, context, settings, pinning, log).catch((err) => ({ case: kase.name, status: 'failed', reason: err.message }))
        : { case: kase.name, status: 'skipped', reason: missingForCase }
      results.push({ scenario: name, description: kase.description ?? scenario.description, columns: kase.columns ?? autocannonColumns, ...result })
    }
  } finally {
    if (scenario.teardown !== undefined) await scenario.teardown(context)
  }
  return results
}

module.exports = { pinLoadGenerator, runScenario, readRss, median, serverNodeArgs }
