'use strict'
// The benchmark harness (bench/run.js) end to end on tiny runs: it must produce well-formed
// results and skip what the build lacks. Performance itself is never asserted here.
const { execFile } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const t = require('tap')

const root = path.join(__dirname, '..', '..')

/** Runs bench/run.js with tiny rounds; resolves { code, stdout, stderr, results }. */
function runBench (t, args) {
  const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-harness-')), 'results.json')
  t.teardown(() => fs.rmSync(path.dirname(output), { recursive: true, force: true }))
  const argv = ['bench/run.js', '--duration', '0.1', '--warmup', '0.1', '--rounds', '3', '--output', output, ...args]
  return runNode(argv, output)
}

function runNode (argv, output) {
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { cwd: root }, (err, stdout, stderr) => {
      const results = fs.existsSync(output) ? JSON.parse(fs.readFileSync(output, 'utf8')) : undefined
      resolve({ code: err === null ? 0 : err.code, stdout, stderr, results })
    })
  })
}

function median (values) {
  return [...values].sort((a, b) => a - b)[(values.length - 1) / 2]
}

t.test('a scenario run gives medians of its rounds, ratios of the medians and the machine', async (t) => {
  const { code, stdout, results } = await runBench(t, ['html'])
  t.equal(code, 0)
  t.match(stdout, /html · page[^\n]*\n\s+side\s+req\/s\s+p99 ms\s+MB\/s/)
  t.match(stdout, /Summary[\s\S]*reply\.htmlResponse \/ fastify type\(\)\.send \(requests\)\s+\d+\.\d{3}×\s+\d+\.\d\d–\d+\.\d\d/)

  t.equal(results.node, process.version)
  t.equal(results.cpus, os.cpus().length)
  t.ok(Math.abs(Date.now() - Date.parse(results.date)) < 60_000, 'dated now')
  t.match(results.settings, { connections: 50, pipelining: 1, duration: 0.1, rounds: 3, processes: 3, serverNodeArgs: ['--min-semi-space-size=16'] })
  t.type(results.pinning.enabled, 'boolean')

  const [scenario] = results.scenarios
  t.match(scenario, { scenario: 'html', case: 'page', status: 'ok' })
  t.same(Object.keys(scenario.sides).sort(), ['fastify type().send', 'reply.htmlResponse'])
  for (const side of Object.values(scenario.sides)) {
    t.equal(side.check.status, 200)
    t.equal(side.rounds.length, 3)
    t.equal(new Set(side.processes).size, 3, 'each round on a fresh server process')
    for (const key of ['requests', 'p99', 'throughput', 'serverCpu', 'loadCpu']) {
      t.equal(side.median[key], median(side.rounds.map((round) => round[key])), `median ${key}`)
    }
    t.ok(side.median.requests > 0)
    t.ok(side.median.throughput > 0)
    // Shares of a core: a loaded server and load generator use some; pinned, neither more than its core.
    const cores = results.pinning.enabled ? 1 : os.availableParallelism()
    for (const key of ['serverCpu', 'loadCpu']) t.ok(side.median[key] > 0.05 && side.median[key] < cores + 0.2, `${key} ${side.median[key]}`)
  }
  const [ratio] = scenario.ratios
  t.match(ratio, { subject: 'reply.htmlResponse', baseline: 'fastify type().send', metric: 'requests', target: 0.95 })
  t.equal(ratio.ratio, scenario.sides['reply.htmlResponse'].median.requests / scenario.sides['fastify type().send'].median.requests)
  t.equal(ratio.meetsTarget, ratio.ratio >= 0.95)
  const subjectRounds = scenario.sides['reply.htmlResponse'].rounds
  const baselineRounds = scenario.sides['fastify type().send'].rounds
  t.same(ratio.roundRatios, subjectRounds.map((round, i) => round.requests / baselineRounds[i].requests), 'each round\'s own ratio')
})

t.test('a scenario needing a missing export is skipped with the reason', async (t) => {
  const { code, stdout, results } = await runBench(t, ['bench/test/fixtures/missing-feature.js'])
  t.equal(code, 0)
  t.match(stdout, 'missing-feature: skipped (fastify-responses does not export NoSuchResponse)')
  t.same(results.scenarios, [{ scenario: 'missing-feature', status: 'skipped', reason: 'fastify-responses does not export NoSuchResponse' }])
})

t.test('a side needing a missing decorator is skipped and the others still run', async (t) => {
  const { code, stdout, results } = await runBench(t, ['bench/test/fixtures/missing-side.js'])
  t.equal(code, 0)
  t.match(stdout, 'side "missing" skipped: reply.noSuchResponse is not decorated by fastify-responses')
  const [scenario] = results.scenarios
  t.equal(scenario.status, 'ok')
  t.same(Object.keys(scenario.sides), ['plain'])
  t.equal(scenario.sides.plain.rounds.length, 3)
  t.same(scenario.ratios, [], 'no ratio against a side that did not run')
})

t.test('a side answering an unexpected status makes the run invalid, and meets no target', async (t) => {
  const { code, stdout, results } = await runBench(t, ['bench/test/fixtures/failing-side.js'])
  t.equal(code, 0)
  const [scenario] = results.scenarios
  t.equal(scenario.status, 'invalid')
  t.same(scenario.sides.plain.problems, [])
  t.equal(scenario.sides.failing.problems.length, 1, 'one problem, counted over all rounds')
  t.match(scenario.sides.failing.problems[0], /^\d+ responses with status 500$/)
  t.match(scenario.ratios, [{ subject: 'failing', baseline: 'plain', target: 0.95, meetsTarget: null }])
  t.match(stdout, /failing \/ plain \(requests\) \(invalid run\)[^\n]*≥ 0\.95 invalid run/)
})

t.test('--processes spreads the rounds over that many server processes per side', async (t) => {
  const { code, results } = await runBench(t, ['--processes', '1', 'bench/test/fixtures/missing-side.js'])
  t.equal(code, 0)
  const { plain } = results.scenarios[0].sides
  t.equal(plain.rounds.length, 3)
  t.equal(plain.processes.length, 1, 'all three rounds on one process')
  const refused = await runBench(t, ['--processes', '0', 'html'])
  t.equal(refused.code, 1)
  t.match(refused.stderr, '--processes must be a number ≥ 1')
})

t.test('an unknown scenario is refused before anything runs', async (t) => {
  const { code, stderr, results } = await runBench(t, ['no-such-scenario'])
  t.equal(code, 1)
  t.match(stderr, 'unknown scenario no-such-scenario')
  t.equal(results, undefined)
})

t.test('without --output, a run writes bench/results/<UTC date and time>.json', async (t) => {
  const before = Date.now()
  const { code, stderr } = await runNode(['bench/run.js', '--duration', '0.1', '--rounds', '3', 'bench/test/fixtures/missing-feature.js'], '/nonexistent')
  t.equal(code, 0)
  const [, written] = /results written to (bench\/results\/(\d{4}-\d\d-\d\dT\d{4,6}Z)\.json)/.exec(stderr) ?? []
  t.ok(written, 'named by the time of the run')
  const file = path.join(root, written)
  t.teardown(() => fs.rmSync(file, { force: true }))
  const stamp = /T(\d\d)(\d\d)/.exec(written)
  const started = new Date(before)
  t.ok(Math.abs(Number(stamp[1]) * 60 + Number(stamp[2]) - (started.getUTCHours() * 60 + started.getUTCMinutes())) <= 1, 'in UTC')
  t.equal(JSON.parse(fs.readFileSync(file, 'utf8')).scenarios[0].scenario, 'missing-feature')
})

/** The sides every file load case has; nginx where it is installed. */
const fileSides = ['FileResponse', 'FileResponse cache revalidate 0', 'FileResponse cache revalidate 1000', 'FileResponse (baseline build)', '@fastify/static', 'express res.sendFile', 'nginx']

t.test('files: every side of the small-file and range cases answers the same bytes, nginx included where installed', async (t) => {
  // This checkout as its own baseline: the side exists and runs, whatever build it is.
  const { code, results, stderr } = await runBench(t, ['--processes', '1', '--baseline', root, '--case', '1 KiB', '--case', '1 MiB range of 10 MiB', 'files'])
  t.equal(code, 0, stderr)
  const { findNginx } = require('../nginx')
  const expected = findNginx() === undefined ? fileSides.filter((side) => side !== 'nginx') : fileSides
  t.same(results.scenarios.map((scenario) => scenario.case), ['1 KiB', '1 MiB range of 10 MiB'], 'only the cases asked for')
  t.equal(results.settings.baseline.dir, root)
  for (const [scenario, status, bytes] of [[results.scenarios[0], 200, 1024], [results.scenarios[1], 206, 1024 * 1024]]) {
    t.equal(scenario.status, 'ok', `${scenario.case}: ${scenario.notes.join('; ')}`)
    t.same(Object.keys(scenario.sides), expected, `${scenario.case}: sides`)
    for (const [name, side] of Object.entries(scenario.sides)) {
      t.same(side.check, { status, bytes }, `${scenario.case} · ${name}`)
      t.equal(side.rounds.length, 3, 'measured (a round this short may complete no 1 MiB response on a busy machine)')
    }
    if (findNginx() === undefined) t.match(scenario.notes, [/side "nginx" skipped: nginx is not installed/])
  }
  const ratios = results.scenarios[0].ratios.map(({ subject, baseline, target }) => [subject, baseline, target])
  t.match(ratios, [
    ['FileResponse cache revalidate 0', 'FileResponse', 2],
    ['FileResponse cache revalidate 0', '@fastify/static', 3],
    ['FileResponse cache revalidate 0', 'FileResponse (baseline build)', 2]
  ])
  t.equal(new Set(ratios.map(([subject, baseline]) => subject + ' / ' + baseline)).size, ratios.length, 'each comparison once')
})

t.test('files over HTTP/2: a case with its own load generator gets CPU shares like autocannon\'s, and its server the load settings', async (t) => {
  const { code, results, stderr } = await runBench(t, ['--processes', '1', '--duration', '0.5', '--case', '10 MiB over HTTP/2', 'files'])
  t.equal(code, 0, stderr)
  const [scenario] = results.scenarios
  t.equal(scenario.status, 'ok', scenario.notes.join('; '))
  t.same(Object.keys(scenario.sides), ['FileResponse', '@fastify/static'])
  for (const [name, side] of Object.entries(scenario.sides)) {
    t.equal(side.rounds.length, 3)
    t.ok(side.median.requests > 0 && side.median.throughput >= side.median.requests * 10 * 1024 * 1024 * 0.99, `${name}: whole 10 MiB bodies`)
    for (const key of ['serverCpu', 'loadCpu']) t.ok(side.median[key] > 0, `${name}: ${key} ${side.median[key]}`)
  }
  t.match(scenario.ratios, [{ subject: 'FileResponse', baseline: '@fastify/static', metric: 'requests' }])
})

t.test('files: the slow-reader probes report memory above idle and bytes read, against their limits', async (t) => {
  const { code, results, stderr } = await runBench(t, ['--quick', '--case', '40 slow readers of 50 MiB', 'files'])
  t.equal(code, 0, stderr)
  const [scenario] = results.scenarios
  t.equal(scenario.status, 'ok', scenario.notes.join('; '))
  t.same(Object.keys(scenario.sides), ['FileResponse', 'FileResponse cache revalidate 0', '@fastify/static'])
  for (const side of Object.values(scenario.sides)) {
    t.equal(typeof side.median.rssAboveIdle, 'number')
    t.ok(side.median.read > 40 * 0.06, 'each of the 40 readers got bytes')
    t.equal(side.median.serverCpu, undefined, 'a memory probe is not a load: no CPU shares')
  }
  t.match(scenario.limits, [{ side: 'FileResponse', metric: 'rssAboveIdle', max: 160 }, { side: 'FileResponse cache revalidate 0', metric: 'rssAboveIdle', max: 160 }])
})

t.test('an nginx configuration: one worker, sendfile, no access log, everything it writes in its own directory', async (t) => {
  const { configuration } = require('../nginx')
  const conf = configuration({ prefix: '/tmp/p', root: '/srv/files', file: 'a.bin', port: 8123 })
  for (const line of ['worker_processes 1;', 'daemon off;', 'pid /tmp/p/nginx.pid;', 'error_log /tmp/p/error.log warn;', 'access_log off;', 'sendfile on;',
    'client_body_temp_path /tmp/p/client-body;', 'listen 127.0.0.1:8123;', 'root /srv/files;', 'location = / { rewrite ^ /a.bin break; }']) {
    t.ok(conf.includes(line), line)
  }
})
