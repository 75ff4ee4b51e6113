'use strict'
// Fault injection. Each fault has one defined outcome: a clean error response before the headers,
// a truncated response after them (HTTP/1.1: the body does not complete; HTTP/2: the stream is
// reset), a logged task failure, or a bounded close; what was opened is closed, what started is
// finalised, and the server serves the next request.
const t = require('tap')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const http = require('node:http')
const crypto = require('node:crypto')
const { execFileSync } = require('node:child_process')
const { Readable } = require('node:stream')
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')
const { FileResponse, JSONResponse, PlainTextResponse, ServerSentEvent, StreamingResponse } = fastifyResponses
const { startApp, request, logCapture } = require('../test/helpers')
const { protocols } = require('../test/stream-client')
const { MiB, Counts, baseline, checkBackToBaseline, leavingClient, settle, sleep, storm, watchProcess } = require('./helpers')

const seen = watchProcess()
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-faults-'))
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
const sha = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex')
const errorCode = (res) => { try { return JSON.parse(res.text).code } catch { return undefined } }
const noPath = (res) => !res.text.includes(dir) && !res.text.includes(os.tmpdir())

function nothingUnhandled (t) {
  t.comment(`unhandled rejections ${seen.unhandledRejection} uncaught exceptions ${seen.uncaughtException}`)
  t.equal(seen.unhandledRejection + seen.uncaughtException, 0, 'no unhandled rejection, no uncaught exception')
}

/** A GET that reads `pauseAt` bytes, runs `fault()` while paused, then reads to the end. */
function downloadWithFault (app, urlPath, pauseAt, fault) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let received = 0
    let faulted = false
    const req = http.get(app.baseUrl + urlPath, { agent: false }, (res) => {
      res.on('data', async (chunk) => {
        chunks.push(chunk)
        received += chunk.length
        if (faulted || received < pauseAt) return
        faulted = true
        res.pause()
        await fault()
        // What the socket's buffers held was read before the fault: a slow reader afterwards.
        setTimeout(() => res.resume(), 50)
      })
      const done = (ending) => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), ending })
      res.on('end', () => done(res.complete ? 'complete' : 'aborted'))
      res.on('error', () => done('aborted'))
    })
    req.on('error', reject)
  })
}

t.test('the file changes between the handler and the read, or during a long download', async (t) => {
  const capture = logCapture()
  const SIZE = 64 * MiB
  const content = crypto.randomBytes(MiB)
  const make = (name) => {
    const file = path.join(dir, name)
    const fd = fs.openSync(file, 'w')
    for (let i = 0; i < SIZE / MiB; i++) fs.writeSync(fd, content)
    fs.closeSync(fd)
    return file
  }
  const expected = sha(Buffer.concat(Array.from({ length: SIZE / MiB }, () => content)))
  const app = await startApp(t, (app) => {
    app.get('/ok', () => 'ok')
    app.get('/deleted-before-open', (request, reply) => {
      const file = make('deleted-before-open')
      const response = new FileResponse(file)
      fs.unlinkSync(file)
      return response
    })
    // onSend runs once the file is open and its stream made, before the first read.
    const changedInOnSend = { truncated: (file) => fs.truncateSync(file, 0), grown: (file) => fs.appendFileSync(file, 'more'), deleted: (file) => fs.unlinkSync(file) }
    for (const [change, apply] of Object.entries(changedInOnSend)) {
      app.get(`/${change}-before-read`, { onSend: async (request, reply, payload) => { apply(path.join(dir, change)); return payload } },
        () => new FileResponse(make(change)))
    }
    app.get('/download/:name', (request, reply) => reply.fileResponse(path.join(dir, request.params.name)))
  }, { fastifyOptions: capture.fastifyOptions })
  const before = baseline()

  const deleted = await request(app, '/deleted-before-open')
  t.comment(`deleted before it was opened: ${deleted.status} ${errorCode(deleted)}`)
  t.equal(deleted.status, 404, 'a file deleted before it was opened: a 404')
  t.equal(errorCode(deleted), 'FST_RESPONSES_FILE_NOT_FOUND', 'with its code, and no path in the message')
  t.ok(noPath(deleted), 'no server path in the answer')

  const truncated = await downloadWithFault(app, '/truncated-before-read', 0, () => {})
  t.comment(`truncated before the first read: ${truncated.status} ${errorCode({ text: truncated.body.toString() })}`)
  t.equal(truncated.status, 500, 'truncated before the first read: an error response (the headers were not out yet)')
  t.equal(errorCode({ text: truncated.body.toString() }), 'FST_RESPONSES_FILE_UNREADABLE', 'with its code')
  t.ok(!truncated.body.toString().includes(dir), 'and no path')
  await settle(() => capture.lines.some((line) => line.err?.code === 'FST_RESPONSES_FILE_UNREADABLE'), 'the truncation logged')
  t.ok(capture.lines.some((line) => line.err?.code === 'FST_RESPONSES_FILE_UNREADABLE' && line.level >= 40), 'logged as FST_RESPONSES_FILE_UNREADABLE')

  for (const change of ['grown', 'deleted']) {
    const res = await downloadWithFault(app, `/${change}-before-read`, 0, () => {})
    t.equal(res.ending, 'complete', `${change} before the first read: the download completes`)
    t.equal(res.body.length, SIZE, 'with the length it announced')
    t.equal(sha(res.body), expected, 'and the bytes the file had when it was opened')
  }

  const during = {
    truncated: (file) => fs.truncateSync(file, MiB),
    grown: (file) => fs.appendFileSync(file, Buffer.alloc(MiB)),
    deleted: (file) => fs.unlinkSync(file)
  }
  for (const [change, apply] of Object.entries(during)) {
    const name = `during-${change}`
    const file = make(name)
    const res = await downloadWithFault(app, `/download/${name}`, 4 * MiB, () => apply(file))
    t.comment(`${change} during the download: ${res.status}, ${res.body.length} of ${res.headers['content-length']} bytes, ${res.ending}`)
    if (change === 'truncated') {
      t.equal(res.ending, 'aborted', 'truncated during the download: the body does not complete')
      t.ok(res.body.length < SIZE, 'and is shorter than announced')
      const warned = () => capture.lines.filter((line) => line.level === 40 && line.err?.code === 'FST_RESPONSES_FILE_UNREADABLE')
      await settle(() => warned().length === 1, 'the truncation logged')
      t.equal(warned()[0].msg, 'response terminated with an error with headers already sent', 'logged once as a warning with FST_RESPONSES_FILE_UNREADABLE')
    } else {
      t.equal(res.ending, 'complete', `${change} during the download: it completes`)
      t.equal(sha(res.body), expected, 'with exactly the bytes announced')
    }
  }
  t.equal((await request(app, '/ok')).text, 'ok', 'the server serves the next request')
  await checkBackToBaseline(t, before, { what: 'changed files' })
  nothingUnhandled(t)
})

t.test('a directory, a FIFO, /dev/zero and a multi-GiB sparse file as the path', async (t) => {
  const fifo = path.join(dir, 'fifo')
  execFileSync('mkfifo', [fifo])
  const sparse = path.join(dir, 'sparse')
  const SPARSE_SIZE = 5 * 1024 * MiB
  fs.writeFileSync(sparse, '')
  fs.truncateSync(sparse, SPARSE_SIZE)
  const paths = { directory: dir, FIFO: fifo, '/dev/zero': '/dev/zero', sparse }
  const app = await startApp(t, (app) => {
    app.get('/ok', () => 'ok')
    app.route({ method: ['GET', 'HEAD'], url: '/:kind', handler: (request, reply) => reply.fileResponse(paths[request.params.kind]) })
  })
  const before = baseline()
  for (const kind of ['directory', 'FIFO', '/dev/zero']) {
    for (const method of ['GET', 'HEAD']) {
      const res = await request(app, '/' + encodeURIComponent(kind), { method })
      t.equal(res.status, 404, `${method} ${kind}: a 404`)
      if (method === 'GET') t.equal(errorCode(res), 'FST_RESPONSES_FILE_NOT_FOUND', `${kind}: its code, no path`)
      t.ok(noPath(res), `${kind}: no server path in the answer`)
    }
  }
  const head = await request(app, '/sparse', { method: 'HEAD' })
  t.equal(head.headers['content-length'], String(SPARSE_SIZE), `the sparse file's HEAD announces ${SPARSE_SIZE} bytes`)
  const tail = await request(app, '/sparse', { headers: { range: `bytes=${SPARSE_SIZE - 300}-` } })
  t.equal(tail.status, 206, 'a range at its end: 206')
  t.equal(tail.headers['content-range'], `bytes ${SPARSE_SIZE - 300}-${SPARSE_SIZE - 1}/${SPARSE_SIZE}`, 'past 4 GiB, exact')
  t.ok(tail.body.equals(Buffer.alloc(300)), 'its 300 bytes')
  const abandoned = await leavingClient(app.baseUrl, '/sparse', { leaveAfter: 8 * MiB })
  t.ok(abandoned.status === 200 && abandoned.received >= 8 * MiB, 'a client that leaves the whole sparse file after 8 MiB')
  t.equal((await request(app, '/ok')).text, 'ok', 'the server serves the next request')
  await checkBackToBaseline(t, before, { what: 'special files' })
  nothingUnhandled(t)
})

// Every source fault, made fresh per request. `outcome`: 'error' (an error response before the
// headers, with `code` when the package names it) or 'truncated' (200, then the body fails).
const sourceFaults = {
  'an async generator that throws before its first chunk': { outcome: 'error', source: async function * () { throw new Error('failed at once') } },
  'an async generator that throws after its first chunk': { outcome: 'truncated', source: async function * () { yield 'first'; await null; throw new Error('failed later') } },
  'a sync generator that throws before its first chunk': { outcome: 'error', source: function * () { throw new Error('failed at once') } },
  'a generator that yields an invalid chunk first': { outcome: 'error', code: 'FST_RESPONSES_INVALID_CONTENT', source: function * () { yield 42 } },
  'a generator that yields an invalid chunk after the first': { outcome: 'truncated', source: async function * () { yield 'first'; await null; yield { not: 'bytes' } } },
  'a Readable destroyed with an error before it is read': {
    outcome: 'error',
    source: () => { const readable = new Readable({ read () {} }); readable.destroy(new Error('destroyed at once')); return readable }
  },
  'a Readable destroyed with an error after three chunks': {
    outcome: 'truncated',
    source: () => { let n = 0; return new Readable({ read () { if (++n > 3) this.destroy(new Error('destroyed later')); else this.push('chunk') } }) }
  },
  'a web stream that errors after its first chunk': {
    outcome: 'truncated',
    source: () => new ReadableStream({ start (c) { c.enqueue('first') }, pull (c) { c.error(new Error('web failed')) } })
  }
}

for (const protocol of protocols) {
  t.test(`${protocol.name}: sources that fail, never yield, or yield invalid chunks; onSend hooks that fail or replace`, async (t) => {
    const capture = logCapture()
    const counts = new Counts()
    const bigFile = path.join(dir, `onsend-${protocol.name.replace('/', '')}`)
    fs.writeFileSync(bigFile, crypto.randomBytes(4 * MiB))
    const endless = (name) => async function * () {
      counts.add(`${name} started`)
      try { for (;;) { await null; yield 'endless' } } finally { counts.add(`${name} finalised`) }
    }
    const app = await startApp(t, (app) => {
      app.get('/ok', () => 'ok')
      Object.values(sourceFaults).forEach(({ source }, i) => app.get(`/fault/${i}`, () => new StreamingResponse(source())))
      // Sources that never yield, and can be finalised (a generator stuck in an await cannot be:
      // its return() waits for that await).
      const silent = {
        Readable: () => new Readable({ read () {}, destroy (err, cb) { counts.add('silent finalised'); cb(err) } }),
        'web stream': () => new ReadableStream({ pull () { return new Promise(() => {}) }, cancel () { counts.add('silent finalised') } }),
        'function source': () => (signal) => (async function * () {
          await new Promise((resolve) => signal.addEventListener('abort', resolve))
          counts.add('silent finalised')
        })()
      }
      app.get('/never-yields/:kind', (request) => {
        counts.add('silent started')
        return new StreamingResponse(silent[request.params.kind]())
      })
      const hooks = { throws: async () => { throw new Error('onSend failed') }, replaces: async () => 'replaced' }
      for (const [shape, hook] of Object.entries(hooks)) {
        app.get(`/onsend-${shape}/stream`, { onSend: hook }, () => new StreamingResponse(endless(`onSend ${shape}`)()))
        app.get(`/onsend-${shape}/file`, { onSend: hook }, () => new FileResponse(bigFile))
      }
    }, { fastifyOptions: { ...protocol.fastifyOptions, ...capture.fastifyOptions } })
    const before = baseline()

    for (const [i, [name, fault]] of Object.entries(sourceFaults).entries()) {
      const from = capture.lines.length
      const clients = await Promise.all(Array.from({ length: 20 }, () => protocol.open(app, `/fault/${i}`)))
      const endings = await Promise.all(clients.map((c) => c.ended))
      const failures = () => capture.lines.slice(from).filter((line) => line.level >= 40 && line.err !== undefined)
      await settle(() => failures().length >= 20, `${name}: each failure logged`)
      const logged = [...new Set(failures().map((line) => `${line.level === 40 ? 'warn' : 'error'} "${line.msg}" ${line.err.code ?? line.err.message}`))]
      t.comment(`${name}: logged ${failures().length} times: ${logged.join('; ')}`)
      t.equal(failures().length, 20, `${name}: each failure logged once, with its error`)
      if (fault.outcome === 'error') {
        const codes = new Set(clients.map((c) => JSON.parse(c.text()).code))
        t.ok(clients.every((c) => c.status === 500) && endings.every((e) => e === 'complete'), `${name}: 20 clean 500s before any header`)
        if (fault.code !== undefined) t.same([...codes], [fault.code], `${name}: with ${fault.code}`)
      } else {
        t.ok(clients.every((c) => c.status === 200), `${name}: the headers went out`)
        t.ok(endings.every((e) => e === 'aborted'), `${name}: every body truncated (${protocol.name === 'HTTP/2' ? 'stream reset' : 'not completed'})`)
      }
    }

    // Sources that never yield: no headers go out; the client leaves; the source is finalised.
    const beforeSilent = capture.lines.length
    for (const kind of ['Readable', 'web stream', 'function source']) {
      const startedBefore = counts.get('silent started')
      const finalisedBefore = counts.get('silent finalised')
      const results = await storm(20, () => leavingClient(app.baseUrl, `/never-yields/${encodeURIComponent(kind)}`, { http2: protocol.name === 'HTTP/2', leaveWhen: settle(() => counts.get('silent started') - startedBefore === 20, 'silent sources started').then(() => sleep(300)) }))
      t.ok(results.every((r) => r.status === undefined), `a ${kind} that never yields: nothing sent in 300 ms, not even the headers`)
      await settle(() => counts.get('silent finalised') - finalisedBefore === 20, `silent ${kind} finalised`)
      t.comment(`${kind} that never yields: started ${counts.get('silent started') - startedBefore} finalised ${counts.get('silent finalised') - finalisedBefore} once their clients left`)
    }

    t.same(capture.lines.slice(beforeSilent).filter((line) => line.level >= 40).map((line) => line.msg), [], 'nothing logged above info for them')

    for (const shape of ['throws', 'replaces']) {
      const from = capture.lines.length
      for (const kind of ['stream', 'file']) {
        const clients = await Promise.all(Array.from({ length: 20 }, () => protocol.open(app, `/onsend-${shape}/${kind}`)))
        await Promise.all(clients.map((c) => c.ended))
        if (shape === 'throws') t.ok(clients.every((c) => c.status === 500 && JSON.parse(c.text()).message === 'onSend failed'), `an onSend hook that throws on a ${kind}: 20 error responses`)
        else t.ok(clients.every((c) => c.status === 200 && c.text() === 'replaced'), `an onSend hook that replaces a ${kind}: 20 replacements sent`)
      }
      const failures = capture.lines.slice(from).filter((line) => line.level >= 40).map((line) => `${line.level} ${line.err?.message}`)
      t.same(failures, shape === 'throws' ? Array(40).fill('50 onSend failed') : [], shape === 'throws' ? 'each failed hook logged once at error' : 'a replaced payload logs nothing above info')
      await settle(() => counts.get(`onSend ${shape} finalised`) === 20, `sources under an onSend hook that ${shape} finalised`)
      t.comment(`onSend ${shape}: sources started ${counts.get(`onSend ${shape} started`)} finalised ${counts.get(`onSend ${shape} finalised`)}`)
      t.equal(counts.get(`onSend ${shape} finalised`), counts.get(`onSend ${shape} started`), `onSend ${shape}: every source finalised`)
    }
    const next = await protocol.open(app, '/ok')
    await next.ended
    t.equal(next.text(), 'ok', 'the server serves the next request')
    await checkBackToBaseline(t, before, { what: 'failed sources' })
    nothingUnhandled(t)
  })
}

t.test('serializers that throw or return a non-string; background tasks that throw, reject or never settle while app.close() runs', async (t) => {
  const capture = logCapture()
  const CLOSE_TIMEOUT = 1000
  const app = Fastify(capture.fastifyOptions)
  await app.register(fastifyResponses, { closeTimeout: CLOSE_TIMEOUT })
  await app.register(async (child) => {
    await child.register(fastifyResponses, { serializers: { 'application/json': () => { throw new Error('serializer failed') } } })
    child.get('/throws', () => new JSONResponse({ a: 1 }))
  }, { prefix: '/serializer' })
  await app.register(async (child) => {
    await child.register(fastifyResponses, { serializers: { 'application/json': () => 42 } })
    child.get('/non-string', () => new JSONResponse({ a: 1 }))
  }, { prefix: '/serializer' })
  let ran = 0
  const tasks = {
    throws: () => { ran++; throw new Error('task threw') },
    rejects: async () => { ran++; throw new Error('task rejected') },
    'never settles': () => { ran++; return new Promise(() => {}) }
  }
  Object.entries(tasks).forEach(([name, task], i) => app.get(`/task/${i}`, () => new JSONResponse({ task: name }, { background: task })))
  app.get('/ok', () => 'ok')
  await app.listen({ port: 0, host: '127.0.0.1' })
  app.baseUrl = `http://127.0.0.1:${app.server.address().port}`

  const thrown = await request(app, '/serializer/throws')
  t.comment(`a serializer that throws: ${thrown.status} ${JSON.parse(thrown.text).message}`)
  t.equal(thrown.status, 500, 'a serializer that throws: a 500 before any header of the response')
  const nonString = await request(app, '/serializer/non-string')
  t.comment(`a serializer that returns 42: ${nonString.status} ${errorCode(nonString)}`)
  t.equal(nonString.status, 500, 'a serializer that returns a non-string: a 500')
  t.equal(errorCode(nonString), 'FST_RESPONSES_INVALID_CONTENT', 'with FST_RESPONSES_INVALID_CONTENT')

  for (const i of Object.keys(Object.keys(tasks))) t.equal((await request(app, `/task/${i}`)).status, 200, `task ${i}: the response is sent first`)
  await settle(() => ran === 3, 'every task ran')
  const taskFailures = () => capture.lines.filter((line) => line.msg === 'background task failed; the tasks after it were not run')
  await settle(() => taskFailures().length === 2, 'the failed tasks logged')
  t.same(taskFailures().map((line) => line.err.message).sort(), ['task rejected', 'task threw'], 'a task that throws and one that rejects: each logged with its error')
  t.equal((await request(app, '/ok')).text, 'ok', 'the server serves the next request')

  const started = Date.now()
  await app.close()
  const took = Date.now() - started
  t.comment(`app.close() with a task that never settles returned after ${took} ms (closeTimeout ${CLOSE_TIMEOUT} ms)`)
  t.ok(took < CLOSE_TIMEOUT + 5000, 'app.close() returns: its wait is bounded by closeTimeout')
  t.ok(capture.lines.some((line) => line.level === 40 && /stopped waiting for background tasks/.test(line.msg) && line.running === 1), 'and logs the task still running')
  nothingUnhandled(t)
})

t.test('bad input: the status and code each gets, nothing half-sent, one log line at the level its status calls for, no path in either', async (t) => {
  const capture = logCapture()
  const root = path.join(dir, 'bad-input-root')
  fs.mkdirSync(root)
  fs.writeFileSync(path.join(root, 'a.txt'), 'a file of some length')
  fs.writeFileSync(path.join(root, '.env'), 'SECRET=1')
  fs.writeFileSync(path.join(root, 'caf\u00e9.txt'), 'stored in NFC')
  fs.mkdirSync(path.join(dir, 'bad-input-root-evil'))
  fs.writeFileSync(path.join(dir, 'bad-input-root-evil', 'x.txt'), 'outside')
  fs.symlinkSync('../bad-input-root-evil/x.txt', path.join(root, 'link-out'))
  fs.symlinkSync('link-loop', path.join(root, 'link-loop'))
  const app = await startApp(t, (app) => {
    app.get('/ok', () => 'ok')
    app.get('/file', (request, reply) => reply.fileResponse(request.query.name, { root, dotfiles: request.query.dotfiles }))
    app.get('/redirect', (request, reply) => reply.redirectResponse(request.query.to))
    app.get('/header', (request, reply) => reply.response('x', { headers: { 'x-echo': request.query.value } }))
    app.get('/media-type', (request, reply) => reply.response('x', { mediaType: request.query.value }))
    app.get('/cookie', (request, reply) => reply.sendResponse(new PlainTextResponse('x').setCookie(request.query.name, request.query.value)))
    app.get('/event', (request, reply) => reply.eventSourceResponse([new ServerSentEvent({ event: request.query.value, data: 1 })], { ping: 0 }))
  }, { fastifyOptions: capture.fastifyOptions, pluginOptions: { redirect: { allowedOrigins: [] } } })
  const cases = [
    ['a name with ..', '/file?name=../bad-input-root/a.txt', 403, 'FST_RESPONSES_FILE_FORBIDDEN'],
    ['a name with %2f', '/file?name=..%252fa.txt', 403, 'FST_RESPONSES_FILE_FORBIDDEN'],
    ['an absolute name', `/file?name=${encodeURIComponent(path.join(root, 'a.txt'))}`, 403, 'FST_RESPONSES_FILE_FORBIDDEN'],
    ['a name with NUL', '/file?name=a.txt%00', 403, 'FST_RESPONSES_FILE_FORBIDDEN'],
    ['a dotfile (ignore)', '/file?name=.env', 404, 'FST_RESPONSES_FILE_NOT_FOUND'],
    ['a dotfile (deny)', '/file?name=.env&dotfiles=deny', 403, 'FST_RESPONSES_FILE_FORBIDDEN'],
    ['a symlink out of the root', '/file?name=link-out', 403, 'FST_RESPONSES_FILE_FORBIDDEN'],
    ['the sibling directory root-evil', `/file?name=${encodeURIComponent('../bad-input-root-evil/x.txt')}`, 403, 'FST_RESPONSES_FILE_FORBIDDEN'],
    ['a missing file', '/file?name=missing.txt', 404, 'FST_RESPONSES_FILE_NOT_FOUND'],
    ['a name in NFD for a file stored in NFC', `/file?name=${encodeURIComponent('cafe\u0301.txt')}`, 404, 'FST_RESPONSES_FILE_NOT_FOUND'],
    ['a symlink loop', '/file?name=link-loop', 404, 'FST_RESPONSES_FILE_NOT_FOUND'],
    ['a 5,000-character name', `/file?name=${'x'.repeat(5000)}`, 404, 'FST_RESPONSES_FILE_NOT_FOUND'],
    ['a malformed Range', '/file?name=a.txt', 400, 'FST_RESPONSES_RANGE_MALFORMED', { range: 'bytes=5-1' }],
    ['an unsatisfiable Range', '/file?name=a.txt', 416, 'FST_RESPONSES_RANGE_NOT_SATISFIABLE', { range: 'bytes=999-' }],
    ['an If-Match that fails', '/file?name=a.txt', 412, 'FST_RESPONSES_PRECONDITION_FAILED', { 'if-match': '"stale"' }],
    ['an off-origin redirect through the guard', '/redirect?to=%2F%5Cevil.com', 400, 'FST_RESPONSES_REDIRECT_NOT_ALLOWED'],
    ['a header value with CR LF', '/header?value=a%0D%0Aset-cookie:%20x=1', 500, 'FST_RESPONSES_INVALID_HEADER'],
    ['a header value above U+00FF', '/header?value=%E2%99%A5', 500, 'FST_RESPONSES_INVALID_HEADER'],
    ['a media type that is not type/subtype', '/media-type?value=text', 500, 'FST_RESPONSES_INVALID_HEADER'],
    ['a cookie name that is not a token', '/cookie?name=a%20b&value=1', 500, 'FST_RESPONSES_INVALID_COOKIE'],
    ['a cookie value with ;', '/cookie?name=a&value=1;%20Domain=evil.com', 500, 'FST_RESPONSES_INVALID_COOKIE'],
    ['an event type with LF', '/event?value=a%0Adata:%20injected', 500, 'FST_RESPONSES_INVALID_EVENT']
  ]
  for (const [name, urlPath, status, code, headers = {}] of cases) {
    const from = capture.lines.length
    const res = await request(app, urlPath, { headers })
    const body = JSON.parse(res.text)
    t.equal(res.status, status, `${name}: ${status}`)
    t.equal(body.code, code, `${name}: ${code}`)
    t.notOk(res.headers['content-range'] !== undefined && status !== 416, `${name}: no file header`)
    t.ok(!('set-cookie' in res.headers) && !('location' in res.headers) && !('x-echo' in res.headers), `${name}: none of the response's own headers`)
    t.notOk(res.text.includes(dir), `${name}: no path in the answer`)
    const logged = capture.lines.slice(from).filter((line) => line.err?.code === code)
    const level = status >= 500 ? 50 : 30
    t.same(logged.map((line) => line.level), [level], `${name}: logged once at ${level === 50 ? 'error' : 'info'}`)
    t.notOk(JSON.stringify(logged[0]?.msg).includes(dir), `${name}: no path in the log message`)
  }
  t.equal((await request(app, '/ok')).text, 'ok', 'the server serves the next request')
  nothingUnhandled(t)
})
