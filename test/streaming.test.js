'use strict'
// StreamingResponse and JSONLinesResponse over real HTTP: sources, order, backpressure,
// client disconnects, errors before and after the first chunk, HEAD, background tasks.
const t = require('tap')
const { Readable } = require('node:stream')
const { startApp, request, rawRequest, logCapture } = require('./helpers')
const { open, until, sleep } = require('./stream-client')
const { StreamingResponse, JSONLinesResponse, BackgroundTask } = require('fastify-responses')

const tick = () => new Promise((resolve) => setImmediate(resolve))

t.test('every kind of source streams its chunks in order, chunked, without content-length', async (t) => {
  const sources = {
    'async generator': () => (async function * () { yield 'a'; await tick(); yield Buffer.from('b'); yield new Uint8Array([99]) })(),
    'async iterable object': () => ({
      [Symbol.asyncIterator] () {
        const items = ['a', 'b', 'c']
        return { next: async () => items.length > 0 ? { done: false, value: items.shift() } : { done: true } }
      }
    }),
    'sync generator': () => (function * () { yield 'a'; yield 'b'; yield 'c' })(),
    array: () => ['a', 'b', 'c'],
    'Node Readable': () => Readable.from(['a', 'b', 'c']),
    'Node Readable of bytes': () => Readable.from([Buffer.from('a'), Buffer.from('bc')], { objectMode: false }),
    'web ReadableStream': () => new ReadableStream({
      start (controller) { controller.enqueue('a'); controller.enqueue(new TextEncoder().encode('b')); controller.enqueue('c'); controller.close() }
    })
  }
  const app = await startApp(t, (app) => {
    app.get('/:kind', (request, reply) => reply.streamingResponse(sources[request.params.kind](), { mediaType: 'text/plain' }))
  })
  for (const kind of Object.keys(sources)) {
    const res = await request(app, '/' + encodeURIComponent(kind))
    t.equal(res.status, 200, kind)
    t.equal(res.text, 'abc', kind)
    t.equal(res.headers['transfer-encoding'], 'chunked', kind)
    t.equal(res.headers['content-length'], undefined, kind)
    t.equal(res.headers['content-type'], 'text/plain; charset=utf-8', kind)
  }
})

t.test('chunks keep their order and bytes, empty ones are skipped', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', () => new StreamingResponse((async function * () {
      for (let i = 0; i < 200; i++) {
        if (i % 50 === 0) await tick()
        yield i % 3 === 0 ? '' : `${i},`
        yield Buffer.alloc(0)
      }
      yield 'é'
    })()))
  })
  const res = await request(app, '/')
  const expected = Array.from({ length: 200 }, (_, i) => i % 3 === 0 ? '' : `${i},`).join('') + 'é'
  t.equal(res.text, expected)
  t.equal(res.headers['content-type'], undefined, 'no media type, no content-type')
})

t.test('an empty source gives an empty chunked body, no content-length unless given', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/array', (request, reply) => reply.streamingResponse([]))
    app.get('/generator', () => new StreamingResponse((async function * () {})()))
    app.get('/empty-chunks', () => new StreamingResponse(['', Buffer.alloc(0)]))
    app.get('/jsonl', (request, reply) => reply.jsonLinesResponse([]))
    app.get('/given', (request, reply) => reply.streamingResponse([], { headers: { 'content-length': '0' } }))
  })
  for (const path of ['/array', '/generator', '/empty-chunks', '/jsonl']) {
    const res = await rawRequest(app, `GET ${path} HTTP/1.1`)
    const head = res.head.toString('latin1')
    t.match(head, /^HTTP\/1\.1 200 OK\r\n/, path)
    t.match(head, /\r\ntransfer-encoding: chunked(\r\n|$)/i, path)
    t.notMatch(head, /content-length/i, path)
    t.equal(res.body.toString('latin1'), '0\r\n\r\n', `${path}: the last chunk alone`)
  }
  const given = await rawRequest(app, 'GET /given HTTP/1.1')
  t.match(given.head.toString('latin1'), /\r\ncontent-length: 0(\r\n|$)/)
  t.notMatch(given.head.toString('latin1'), /transfer-encoding/i)
  t.equal(given.body.length, 0)
  const http10 = await rawRequest(app, 'GET /array HTTP/1.0')
  t.notMatch(http10.head.toString('latin1'), /content-length|transfer-encoding/i, 'HTTP/1.0: the end of the connection ends the body')
  t.equal(http10.body.length, 0)
  const res = await request(app, '/array')
  t.equal(res.status, 200)
  t.equal(res.body.length, 0)
  t.ok(res.complete)
})

t.test('a stream after a head written by hand is still sent', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', async (request, reply) => {
      reply.raw.writeHead(200, { 'x-by-hand': '1' })
      return new StreamingResponse(['a', 'b'])
    })
  })
  const res = await request(app, '/')
  t.equal(res.status, 200)
  t.equal(res.headers['x-by-hand'], '1')
  t.equal(res.text, 'ab')
})

t.test('a content-length given by the user is sent', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.streamingResponse(['abc', 'de'], { headers: { 'content-length': '5' }, statusCode: 201 }))
  })
  const res = await request(app, '/')
  t.equal(res.status, 201)
  t.equal(res.headers['content-length'], '5')
  t.equal(res.headers['transfer-encoding'], undefined)
  t.equal(res.text, 'abcde')
})

t.test('responseClass streams what the handler returns, with the status set by reply.code()', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', { responseClass: StreamingResponse }, async () => (function * () { yield 'x'; yield 'y' })())
    app.get('/code', { responseClass: StreamingResponse }, async (request, reply) => { reply.code(202); return ['z'] })
  })
  t.equal((await request(app, '/')).text, 'xy')
  const res = await request(app, '/code')
  t.equal(res.status, 202)
  t.equal(res.text, 'z')
})

t.test('a source that is not one is refused at construction', async (t) => {
  const invalid = [
    ['text', /a string or bytes is content, not a stream/],
    [Buffer.from('x'), /a string or bytes is content/],
    [42, /not number/],
    [null, /not null/],
    [{ a: 1 }, /expected an iterable, a Readable or a ReadableStream$/]
  ]
  for (const [source, message] of invalid) {
    t.throws(() => new StreamingResponse(source), { code: 'FST_RESPONSES_INVALID_SOURCE', message })
  }
  const app = await startApp(t, (app) => {
    app.get('/decorator', (request, reply) => reply.streamingResponse('text'))
    app.get('/function', (request, reply) => reply.streamingResponse(() => 42))
  })
  for (const path of ['/decorator', '/function']) {
    const res = await request(app, path)
    t.equal(res.status, 500, path)
    t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_INVALID_SOURCE', path)
  }
})

t.test('an endless source served to a client that does not read is not pulled further', async (t) => {
  let pulled = 0
  let readable
  let sent
  const chunk = Buffer.alloc(16 * 1024, 'x')
  const app = await startApp(t, (app) => {
    // The stream handed to Fastify, and the response it is piped to.
    app.addHook('onSend', async (request, reply, payload) => {
      sent = { response: reply.raw, stream: payload }
      return payload
    })
    app.get('/generator', (request, reply) => reply.streamingResponse((function * () {
      for (;;) { pulled++; yield chunk }
    })()))
    app.get('/readable', (request, reply) => {
      readable = new Readable({ read () { setImmediate(() => { pulled++; this.push(chunk) }) } })
      return reply.streamingResponse(readable)
    })
  })
  const full = (stream) => stream.readableLength >= stream.readableHighWaterMark
  for (const path of ['/generator', '/readable']) {
    pulled = 0
    readable = undefined
    const client = await open(app, path)
    client.res.pause()
    // The socket buffers fill up until the response waits for a drain: the pipe is paused and
    // the stream's buffer full, so Node reads nothing more from it (and a Readable source, paused
    // with its own buffer full, reads nothing more from its _read) until the client reads.
    await until(() => sent.response.writableNeedDrain && full(sent.stream) &&
      (readable === undefined || (readable.readableFlowing === false && full(readable))), 10000)
    // The stream is pulled only while its buffer is under the mark: it holds less than the mark plus
    // one push (a chunk, or what a Readable source had buffered, up to its own mark plus a chunk).
    const lastPush = readable === undefined ? chunk.length : readable.readableHighWaterMark + chunk.length
    t.ok(sent.stream.readableLength < sent.stream.readableHighWaterMark + lastPush,
      `${path}: nothing more is pulled once the stream's buffer is full (${sent.stream.readableLength} bytes buffered)`)
    t.ok(pulled * chunk.length < 32 * 1024 * 1024, `${path}: memory stays bounded (${pulled} chunks pulled)`)
    const atRest = pulled
    const arrived = () => client.chunks.reduce((sum, { length }) => sum + length, 0)
    const held = arrived() + client.res.readableLength
    client.res.resume()
    await until(() => pulled > atRest + 100 && arrived() > held)
    t.pass(`${path}: reading again resumes the pulling`)
    client.req.destroy()
  }
})

t.test('a client that leaves fires the signal, then finalises an async generator', async (t) => {
  const events = []
  let signalSeen
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.streamingResponse(async function * (signal) {
      signalSeen = signal
      signal.addEventListener('abort', () => { events.push('signal aborted') })
      try {
        for (let i = 0; i < 3; i++) yield 'tick\n'
        // Silent until the client leaves, then endless: only being closed ends it.
        await new Promise((resolve) => signal.addEventListener('abort', resolve))
        for (;;) yield 'tock\n'
      } finally {
        events.push('finally ran')
      }
    }))
  })
  const client = await open(app, '/')
  await until(() => client.text() === 'tick\n'.repeat(3))
  client.req.destroy()
  await until(() => events.includes('finally ran'))
  t.ok(signalSeen instanceof AbortSignal)
  t.same(events, ['signal aborted', 'finally ran'], 'the signal fired, then the generator was closed at its next yield')
  t.equal((await request(app, '/no-such-route')).status, 404, 'the server keeps serving')
})

t.test('a client that leaves finalises a sync generator, destroys a Readable source and cancels a web stream', async (t) => {
  let readable
  let cancelled = false
  let syncFinalised = false
  const app = await startApp(t, (app) => {
    app.get('/sync', (request, reply) => reply.streamingResponse((function * () {
      try { for (;;) yield Buffer.alloc(1024, 's') } finally { syncFinalised = true }
    })()))
    app.get('/readable', (request, reply) => {
      readable = new Readable({ read () { setTimeout(() => this.push('r'), 2) } })
      return reply.streamingResponse(readable)
    })
    app.get('/web', (request, reply) => reply.streamingResponse(new ReadableStream({
      async pull (controller) { await sleep(2); controller.enqueue('w') },
      cancel () { cancelled = true }
    })))
  })
  const fromSync = await open(app, '/sync')
  await until(() => fromSync.chunks.length >= 2)
  fromSync.req.destroy()
  await until(() => syncFinalised)
  t.ok(syncFinalised, "the sync generator's finally ran")
  const fromReadable = await open(app, '/readable')
  await until(() => fromReadable.chunks.length >= 2)
  fromReadable.req.destroy()
  await until(() => readable.destroyed)
  t.ok(readable.destroyed, 'the Readable was destroyed')
  const fromWeb = await open(app, '/web')
  await until(() => fromWeb.chunks.length >= 2)
  fromWeb.req.destroy()
  await until(() => cancelled)
  t.ok(cancelled, 'the web stream was cancelled')
})

t.test('a client that leaves before the first chunk closes the source without waiting for it', async (t) => {
  const http = require('node:http')
  const capture = logCapture()
  let readable
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => {
      readable = new Readable({ read () {} })
      return reply.streamingResponse(readable)
    })
  }, { fastifyOptions: capture.fastifyOptions })
  const req = http.get(app.baseUrl + '/', { agent: false })
  req.on('error', () => {})
  await until(() => readable !== undefined)
  req.destroy()
  await until(() => readable.destroyed)
  t.ok(readable.destroyed, 'the silent Readable was destroyed')
  await until(() => capture.lines.some((line) => line.msg === 'stream closed prematurely'))
  t.same(capture.lines.filter((line) => line.level >= 50), [], 'a client that left is not an error')
  t.equal((await request(app, '/no-such-route')).status, 404, 'the server keeps serving')
})

t.test('a source that fails before its first chunk gives an ordinary error response without its headers', async (t) => {
  let badFirstChunkSourceFinalised = false
  const app = await startApp(t, (app) => {
    app.get('/throws', (request, reply) => reply.streamingResponse((async function * () { throw new Error('no data today') })(), {
      headers: { 'x-stream': 'yes', 'cache-control': 'no-store' }, mediaType: 'text/csv'
    }))
    app.get('/sync-throws', (request, reply) => reply.streamingResponse((function * () { throw new Error('sync failure') })()))
    app.get('/function-throws', (request, reply) => reply.streamingResponse(() => { throw new Error('cannot open') }))
    app.get('/bad-chunk', (request, reply) => reply.streamingResponse((function * () {
      try { yield { not: 'bytes' }; yield 'never sent' } finally { badFirstChunkSourceFinalised = true }
    })()))
    app.get('/ok', () => new StreamingResponse(['fine']))
  })
  for (const [path, message] of [['/throws', 'no data today'], ['/sync-throws', 'sync failure'], ['/function-throws', 'cannot open']]) {
    const res = await request(app, path)
    t.equal(res.status, 500, path)
    t.equal(JSON.parse(res.text).message, message, path)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8', path)
    t.equal(res.headers['x-stream'], undefined, path)
    t.equal(res.headers['cache-control'], undefined, path)
  }
  const bad = await request(app, '/bad-chunk')
  t.equal(bad.status, 500)
  t.match(JSON.parse(bad.text), { code: 'FST_RESPONSES_INVALID_CONTENT', message: /StreamingResponse streams strings and bytes, not Object/ })
  t.ok(badFirstChunkSourceFinalised, 'the source whose first chunk was refused is finalised')
  t.equal((await request(app, '/ok')).text, 'fine', 'the server keeps serving')
})

t.test('a source that fails after its first chunk truncates the response and is logged once', async (t) => {
  const capture = logCapture()
  let badChunkSourceFinalised = false
  // The requests whose response has closed, a turn after its 'close' (its other listeners have run).
  const closed = new Set()
  const app = await startApp(t, (app) => {
    app.addHook('onRequest', (request, reply, done) => {
      reply.raw.once('close', () => { setImmediate(() => closed.add(request.id)) })
      done()
    })
    app.get('/async', (request, reply) => reply.streamingResponse((async function * () {
      yield 'first,'
      await tick()
      yield 'second,'
      throw new Error('failure in an async generator')
    })()))
    app.get('/sync', (request, reply) => reply.streamingResponse((function * () { yield 'first,'; throw new Error('failure in a sync generator') })()))
    app.get('/bad-chunk', (request, reply) => reply.streamingResponse((function * () {
      try { yield 'first,'; yield 42 } finally { badChunkSourceFinalised = true }
    })()))
    app.get('/readable', (request, reply) => reply.streamingResponse(new Readable({
      read () {
        if (this.pushed) return
        this.pushed = true
        this.push('first,')
        setImmediate(() => this.destroy(new Error('readable failure')))
      }
    })))
    app.get('/readable-destroyed', (request, reply) => reply.streamingResponse(new Readable({
      read () {
        if (this.pushed) return
        this.pushed = true
        this.push('first,')
        setImmediate(() => this.destroy())
      }
    })))
    app.get('/ok', () => new StreamingResponse(['fine']))
  }, { fastifyOptions: capture.fastifyOptions })
  const cases = [['/async', 'first,second,', 'failure in an async generator'], ['/sync', 'first,', 'failure in a sync generator'],

    ['/bad-chunk', 'first,', 'Invalid content: StreamingResponse streams strings and bytes, not number'], ['/readable', 'first,', 'readable failure']]
  for (const [path, received, message] of cases) {
    const client = await open(app, path)
    t.equal(client.res.statusCode, 200, path)
    t.equal(await client.ended, 'aborted', `${path}: the client sees a truncated response`)
    t.equal(client.text(), received, path)
    await until(() => capture.lines.some((line) => line.err?.message === message))
    const { reqId } = capture.lines.find((line) => line.err?.message === message)
    // The error is handled before the response is destroyed: once it has closed, all is logged.
    await until(() => closed.has(reqId))
    const errors = capture.lines.filter((line) => line.reqId === reqId && line.err !== undefined)
    t.equal(errors.length, 1, `${path}: logged once`)
    t.match(errors[0], { level: 40, err: { message } }, `${path}: at warn level, by Fastify`)
  }
  const destroyed = await open(app, '/readable-destroyed')
  t.equal(await destroyed.ended, 'aborted', 'a Readable destroyed midway is no clean end either')
  t.equal(destroyed.text(), 'first,')
  await until(() => capture.lines.some((line) => line.msg === 'stream closed prematurely'))
  t.pass('Fastify logs it as a premature close')
  t.ok(badChunkSourceFinalised, 'a source whose chunk was refused is finalised')
  t.equal((await request(app, '/ok')).text, 'fine', 'the server keeps serving')
})

t.test('a source that fails to close is logged', async (t) => {
  const capture = logCapture()
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.streamingResponse((async function * () {
      try { for (;;) { yield 'x'; await sleep(2) } } finally { throw new Error('finally failed') } // eslint-disable-line no-unsafe-finally
    })()))
    app.get('/sync', (request, reply) => reply.streamingResponse({
      [Symbol.iterator] () { return { next: () => ({ done: false, value: 'y' }), return () { throw new Error('return failed') } } }
    }))
  }, { fastifyOptions: capture.fastifyOptions })
  for (const [path, message] of [['/', 'finally failed'], ['/sync', 'return failed']]) {
    const client = await open(app, path)
    await until(() => client.chunks.length >= 2)
    client.req.destroy()
    await until(() => capture.lines.some((line) => line.err?.message === message))
    t.match(capture.lines.find((line) => line.err?.message === message), { msg: 'closing the stream source failed' }, path)
  }
})

t.test('HEAD gives the headers without reading the source', async (t) => {
  let started = false
  let generator
  let readable
  let webCancelled = false
  let functionCalled = false
  const app = await startApp(t, (app) => {
    app.get('/generator', (request, reply) => {
      generator = (function * () { started = true; for (;;) yield 'x' })()
      return reply.streamingResponse(generator, { mediaType: 'text/plain', headers: { 'x-a': 'b' } })
    })
    app.get('/readable', (request, reply) => {
      readable = new Readable({ read () { this.push('x') } })
      return reply.streamingResponse(readable)
    })
    app.get('/web', (request, reply) => reply.streamingResponse(new ReadableStream({ pull (c) { c.enqueue('x') }, cancel () { webCancelled = true } })))
    app.get('/function', (request, reply) => reply.streamingResponse(() => { functionCalled = true; return ['x'] }))
  })
  const res = await request(app, '/generator', { method: 'HEAD' })
  t.equal(res.status, 200)
  t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(res.headers['x-a'], 'b')
  t.equal(res.headers['content-length'], undefined)
  t.equal(res.body.length, 0)
  t.notOk(started, 'the generator never ran')
  t.same(generator.next(), { done: true, value: undefined }, 'and is closed')
  await request(app, '/readable', { method: 'HEAD' })
  t.ok(readable.destroyed, 'a Readable is destroyed')
  await request(app, '/web', { method: 'HEAD' })
  t.ok(webCancelled, 'a web stream is cancelled')
  await request(app, '/function', { method: 'HEAD' })
  t.notOk(functionCalled, 'a function source is not called')
})

t.test('a status without a body does not read the source', async (t) => {
  let started = false
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.streamingResponse((function * () { started = true; yield 'x' })(), { statusCode: 204 }))
  })
  const res = await request(app, '/')
  t.equal(res.status, 204)
  t.equal(res.body.length, 0)
  t.notOk(started)
})

t.test('background tasks run after the stream ended, or after the client left', async (t) => {
  const events = []
  const app = await startApp(t, (app) => {
    app.get('/complete', (request, reply) => reply.streamingResponse((async function * () {
      try { yield 'a'; await tick(); yield 'b' } finally { events.push('source finished') }
    })(), { background: new BackgroundTask((name) => { events.push(name) }, 'complete task') }))
    app.get('/left', (request, reply) => {
      reply.backgroundTasks.addTask(() => { events.push('left task') })
      return reply.streamingResponse(async function * () {
        try { for (;;) { yield 'x'; await sleep(2) } } finally { events.push('source closed') }
      })
    })
    app.get('/failed', (request, reply) => reply.streamingResponse((async function * () {
      yield 'a'
      await tick()
      throw new Error('midway')
    })(), { background: () => { events.push('failed task') } }))
  })
  t.equal((await request(app, '/complete')).text, 'ab')
  await until(() => events.includes('complete task'))
  t.same(events, ['source finished', 'complete task'])
  events.length = 0
  const client = await open(app, '/left')
  await until(() => client.chunks.length >= 2)
  client.req.destroy()
  await until(() => events.includes('left task'))
  await until(() => events.includes('source closed'))
  t.same(events.sort(), ['left task', 'source closed'], 'the source was finalised and the tasks ran')
  events.length = 0
  const failed = await open(app, '/failed')
  t.equal(await failed.ended, 'aborted')
  // Closing waits for the tasks that started when a response closed.
  await app.close()
  t.same(events, [], 'a stream that failed midway did not end: its tasks do not run')
})

t.test('JSONLinesResponse writes one compact JSON document per line', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.jsonLinesResponse((async function * () {
      yield { a: 1, b: [1, 2] }
      yield 'text'
      yield null
      yield 3.5
    })()))
    app.get('/class', { responseClass: JSONLinesResponse }, () => [{ x: 'y\nz' }])
    app.get('/bigint', (request, reply) => reply.jsonLinesResponse([1n]))
  })
  const res = await request(app, '/')
  t.equal(res.headers['content-type'], 'application/jsonl')
  t.equal(res.text, '{"a":1,"b":[1,2]}\n"text"\nnull\n3.5\n')
  t.equal((await request(app, '/class')).text, '{"x":"y\\nz"}\n')
  const nan = await request(app, '/bigint')
  t.equal(nan.status, 500)
  t.equal(JSON.parse(nan.text).code, 'FST_RESPONSES_SERIALIZATION')
})

t.test('a JSON serializer that returns neither text nor bytes fails JSON Lines with FST_RESPONSES_INVALID_CONTENT', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.jsonLinesResponse([{ a: 1 }], { headers: { 'x-a': 'b' } }))
  }, { pluginOptions: { serializers: { 'application/json': () => 42 } } })
  const res = await request(app, '/')
  t.equal(res.status, 500)
  t.same(JSON.parse(res.text), {
    statusCode: 500,
    code: 'FST_RESPONSES_INVALID_CONTENT',
    error: 'Internal Server Error',
    message: 'Invalid content: JSONLinesResponse rendered number, not a string or bytes'
  })
  t.notOk('x-a' in res.headers)
})

t.test("JSONLinesResponse uses the app's application/json serializer, text or bytes", async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.jsonLinesResponse([{ a: 1 }, { b: 2 }]))
  }, { pluginOptions: { serializers: { 'application/json': (value) => new TextEncoder().encode(JSON.stringify({ wrapped: value })) } } })
  t.equal((await request(app, '/')).text, '{"wrapped":{"a":1}}\n{"wrapped":{"b":2}}\n')
  const standalone = new JSONLinesResponse([])
  t.equal(standalone.renderChunk({ c: 3 }), '{"c":3}\n', 'outside an app, the standard serializer')
  t.equal(new StreamingResponse([]).renderChunk('as is'), 'as is')
})

t.test('a route declared before the plugin was registered streams a returned instance', async (t) => {
  const Fastify = require('fastify')
  const app = Fastify()
  app.get('/', async () => new StreamingResponse(async function * () { yield 'early '; yield 'route' }, { mediaType: 'text/plain' }))
  await app.register(require('fastify-responses'))
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  app.baseUrl = `http://127.0.0.1:${app.server.address().port}`
  const res = await request(app, '/')
  t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(res.text, 'early route')
})

t.test('a streaming instance has no buffered body, and says so', async (t) => {
  const { StreamingResponse: Streaming, errors } = require('fastify-responses')
  const response = new Streaming(['a', 'b'])
  t.throws(() => response.body, errors.FST_RESPONSES_INVALID_CONTENT)
  t.throws(() => response.body, /StreamingResponse has no body: its content is read as it is sent/)
})
