'use strict'
// The soak: 60 s of autocannon at 100 connections over every response class (files whole, one
// range and several, 304s, small SSE streams, JSON lines, background tasks...), each request
// checked against the status it must get. Zero unexpected statuses, zero socket errors or
// timeouts, RSS growth between the first and the last 10 s under 10 %, every background task run,
// descriptors back to the baseline. autocannon runs in a child process (stress/load.js): the
// memory figures are the server's; the machine is a shared 2-core VM.
const t = require('tap')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { fork } = require('node:child_process')
const {
  JSONResponse, ORJSONResponse, UJSONResponse, HTMLResponse, PlainTextResponse, Response, RedirectResponse, StreamingResponse,
  JSONLinesResponse, EventSourceResponse, ServerSentEvent
} = require('fastify-responses')
const { startApp, request } = require('../test/helpers')
const { mib, baseline, checkBackToBaseline, settle, watchProcess } = require('./helpers')

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60)
const seen = watchProcess()

t.test(`${SECONDS} s of autocannon at 100 connections over every response class: only expected statuses, no socket error, RSS flat, every task run`, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-soak-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const small = path.join(dir, 'small.txt')
  const large = path.join(dir, 'large.bin')
  fs.writeFileSync(small, 'small file\n'.repeat(100))
  fs.writeFileSync(large, crypto.randomBytes(96 * 1024))
  // Tasks queued by the handler and tasks run: the client's count of /task answers may miss
  // the last ones, answered as autocannon stopped.
  let tasksQueued = 0
  let tasksRun = 0
  const app = await startApp(t, (app) => {
    const data = { id: 1, name: 'soak', tags: ['a', 'b'], nested: { ok: true } }
    app.get('/json', () => new JSONResponse(data))
    app.get('/orjson', () => new ORJSONResponse({ ...data, big: 10n, when: new Date(0) }))
    app.get('/ujson', () => new UJSONResponse({ ...data, url: 'http://x/y' }))
    app.get('/html', () => new HTMLResponse('<p>soak</p>'))
    app.get('/text', (request, reply) => reply.plainTextResponse('soak'))
    app.get('/bytes', () => new Response(Buffer.from('bytes'), { mediaType: 'application/octet-stream' }))
    app.get('/cookie', () => new PlainTextResponse('cookie').setCookie('sid', 'v a l', { httpOnly: true }))
    app.get('/redirect', () => new RedirectResponse('/text'))
    app.get('/file/small', (request, reply) => reply.fileResponse(small))
    app.get('/file/large', (request, reply) => reply.fileResponse(large))
    app.get('/stream', () => new StreamingResponse((async function * () { for (let i = 0; i < 5; i++) yield `chunk ${i}\n` })()))
    app.get('/jsonl', () => new JSONLinesResponse([{ n: 1 }, { n: 2 }, { n: 3 }]))
    app.get('/sse', () => new EventSourceResponse((async function * () {
      for (let i = 0; i < 3; i++) yield new ServerSentEvent({ event: 'tick', id: i, data: { i } })
    })(), { ping: 0 }))
    app.get('/task', (request, reply) => {
      tasksQueued += 2
      reply.backgroundTasks.addTask(async () => { await null; tasksRun++ })
      return new JSONResponse({ queued: true }, { background: () => { tasksRun++ } })
    })
  })
  const { headers: { etag } } = await request(app, '/file/large')
  // Each connection goes through these in turn; each answer is checked against its status.
  const plan = [
    ['/json', 200], ['/orjson', 200], ['/ujson', 200], ['/html', 200], ['/text', 200], ['/bytes', 200], ['/cookie', 200],
    ['/redirect', 307], ['/file/small', 200], ['/file/large', 200], ['/file/large', 206, { range: 'bytes=1000-70000' }],
    ['/file/large', 206, { range: 'bytes=0-99,5000-5999,90000-' }], ['/file/large', 304, { 'if-none-match': etag }],
    ['/file/large', 200, { range: 'bytes=0-9', 'if-range': '"stale"' }], ['/stream', 200], ['/jsonl', 200], ['/sse', 200], ['/task', 200]
  ]
  /** autocannon for `duration` seconds in a child process; resolves with its summary. */
  const load = (duration) => new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'load.js'), [JSON.stringify({ url: app.baseUrl, connections: 100, duration, plan })], { execArgv: [] })
    child.once('message', resolve)
    child.once('exit', (code) => reject(new Error(`the load exited with ${code} before reporting`)))
  })
  const idle = baseline()
  // Warmed up first (JIT, pools, the allocator's arenas): the soak measures the steady state.
  // Its statuses count too; its tasks run before the soak's are counted.
  const warmUp = await load(5)
  await settle(() => tasksRun === tasksQueued, 'the warm-up\'s tasks run')
  tasksRun = 0
  tasksQueued = 0
  // Descriptors must come back to what the idle app had; memory is compared with the warm state.
  const before = { ...baseline(), fds: idle.fds }
  const samples = []
  const sampler = setInterval(() => samples.push(process.memoryUsage().rss), 1000)
  const result = await load(SECONDS)
  clearInterval(sampler)
  const unexpected = warmUp.unexpected + result.unexpected
  const taskResponses = result.answered['/task'] ?? 0

  const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length
  const first = mean(samples.slice(0, 10))
  const last = mean(samples.slice(-10))
  const growth = (last - first) / first
  t.comment(`requests ${result.total} (${Math.round(result.average)}/s) statuses ${JSON.stringify(result.statuses)}`)
  t.comment(`unexpected statuses ${unexpected}, socket errors ${result.errors}, timeouts ${result.timeouts}`)
  t.comment(`RSS idle ${mib(idle.rss)} MiB, warm ${mib(before.rss)} MiB; first 10 s ${mib(first)} MiB, last 10 s ${mib(last)} MiB: ${(growth * 100).toFixed(1)} % (bound 10 %)`)
  t.ok(plan.every(([urlPath]) => result.answered[urlPath] >= 100), 'every request of the plan was answered, 100 times at least')
  t.equal(unexpected, 0, 'no unexpected status')
  t.equal(warmUp.errors + warmUp.timeouts + result.errors + result.timeouts, 0, 'no socket error, no timeout')
  t.ok(growth < 0.1, 'RSS grew less than 10 % between the first and the last 10 s')
  await settle(() => tasksRun === tasksQueued, 'every background task ran')
  t.comment(`background tasks queued ${tasksQueued} run ${tasksRun} (two per /task response; the client counted ${taskResponses} of them)`)
  t.equal(tasksRun, tasksQueued, 'every background task ran')
  t.ok(tasksQueued >= taskResponses * 2, 'at least two for every /task answer the client got')
  await checkBackToBaseline(t, before, { what: 'soak', heapBound: 32 * 1024 * 1024 })
  t.equal(seen.unhandledRejection + seen.uncaughtException, 0, 'no unhandled rejection, no uncaught exception')
})
