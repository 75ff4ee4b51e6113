'use strict'
// EventSourceResponse over real HTTP: wire bytes, headers, validation, keep-alive pings,
// last-event-id, a real EventSource client, and @fastify/compress alongside.
const t = require('tap')
const zlib = require('node:zlib')
const { EventSource } = require('eventsource')
const { startApp, request, rawRequest } = require('./helpers')
const { open, until, sleep } = require('./stream-client')
const { EventSourceResponse, ServerSentEvent } = require('fastify-responses')

t.test('events reach the wire in FastAPI format with the SSE headers', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.eventSourceResponse((async function * () {
      yield { hello: 'world' }
      yield 'text'
      yield new ServerSentEvent({ data: { n: 1 }, event: 'update', id: '1' })
      yield new ServerSentEvent({ rawData: 'line one\nline two\r\nline three\rline four' })
      yield new ServerSentEvent({ comment: 'a note\nover two lines' })
      yield new ServerSentEvent({ rawData: 'x', retry: 2500, id: 42 })
    })()))
  })
  const res = await request(app, '/')
  t.equal(res.status, 200)
  t.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8')
  t.equal(res.headers['cache-control'], 'no-cache')
  t.equal(res.headers['x-accel-buffering'], 'no')
  t.equal(res.headers['content-length'], undefined)
  t.equal(res.text, [
    'data: {"hello":"world"}\n\n',
    'data: "text"\n\n',
    'event: update\ndata: {"n":1}\nid: 1\n\n',
    'data: line one\ndata: line two\ndata: line three\ndata: line four\n\n',
    ': a note\n: over two lines\n\n',
    'data: x\nid: 42\nretry: 2500\n\n'
  ].join(''))
})

t.test('an event stream with no events is an empty chunked body, with no content-length', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.eventSourceResponse((async function * () {})()))
  })
  const res = await rawRequest(app, 'GET / HTTP/1.1')
  const head = res.head.toString('latin1')
  t.match(head, /^HTTP\/1\.1 200 OK\r\n/)
  t.match(head, /\r\ncontent-type: text\/event-stream; charset=utf-8(\r\n|$)/)
  t.match(head, /\r\ntransfer-encoding: chunked(\r\n|$)/i)
  t.notMatch(head, /content-length/i)
  t.equal(res.body.toString('latin1'), '0\r\n\r\n')
})

t.test('a JSON serializer that returns neither text nor bytes fails events with FST_RESPONSES_INVALID_CONTENT', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/plain', (request, reply) => reply.eventSourceResponse([{ a: 1 }], { headers: { 'x-a': 'b' } }))
    app.get('/event', (request, reply) => reply.eventSourceResponse([new ServerSentEvent({ data: { a: 1 } })]))
    app.get('/later', (request, reply) => reply.eventSourceResponse([new ServerSentEvent({ rawData: 'first' }), { a: 1 }]))
  }, { pluginOptions: { serializers: { 'application/json': () => 42 } } })
  for (const path of ['/plain', '/event']) {
    const res = await request(app, path)
    t.equal(res.status, 500, path)
    t.same(JSON.parse(res.text), {
      statusCode: 500,
      code: 'FST_RESPONSES_INVALID_CONTENT',
      error: 'Internal Server Error',
      message: 'Invalid content: EventSourceResponse rendered number, not a string or bytes'
    }, path)
    t.notOk('x-a' in res.headers, path)
  }
  const later = await open(app, '/later')
  t.equal(await later.ended, 'aborted', 'after the first event, the stream is truncated')
  t.equal(later.text(), 'data: first\n\n')
})

t.test("the user's headers win over the SSE defaults; responseClass streams the handler's value", async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.eventSourceResponse(['a'], { headers: { 'Cache-Control': 'no-store', 'x-extra': '1' }, statusCode: 201 }))
    app.get('/class', { responseClass: EventSourceResponse }, () => [1, 2])
  })
  const res = await request(app, '/')
  t.equal(res.status, 201)
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal(res.headers['x-extra'], '1')
  t.equal(res.headers['x-accel-buffering'], 'no')
  t.equal(res.text, 'data: "a"\n\n')
  t.equal((await request(app, '/class')).text, 'data: 1\n\ndata: 2\n\n')
})

t.test('an invalid event fails cleanly: an error response before the first event, a truncated stream after', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/first', (request, reply) => reply.eventSourceResponse((function * () {
      yield new ServerSentEvent({ event: 'evil\ndata: injected' })
    })()))
    app.get('/later', (request, reply) => reply.eventSourceResponse((function * () {
      yield 'ok'
      yield new ServerSentEvent({ id: 'a\nretry: 1' })
    })()))
    app.get('/unserializable', (request, reply) => reply.eventSourceResponse([1n]))
    app.get('/ok', (request, reply) => reply.eventSourceResponse(['fine']))
  })
  const first = await request(app, '/first')
  t.equal(first.status, 500)
  t.equal(first.headers['cache-control'], undefined, 'no stale SSE headers')
  t.equal(first.headers['x-accel-buffering'], undefined)
  t.match(JSON.parse(first.text), { code: 'FST_RESPONSES_INVALID_EVENT', message: /event must not contain line breaks/ })
  t.notMatch(first.text, /injected/)
  const later = await open(app, '/later')
  t.equal(await later.ended, 'aborted')
  t.equal(later.text(), 'data: "ok"\n\n', 'nothing of the invalid event was written')
  t.equal(JSON.parse((await request(app, '/unserializable')).text).code, 'FST_RESPONSES_SERIALIZATION')
  t.equal((await request(app, '/ok')).text, 'data: "fine"\n\n', 'the server keeps serving')
})

t.test('a source that fails after its first event truncates the stream', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.eventSourceResponse((async function * () {
      yield 'first'
      await sleep(5)
      throw new Error('source failed')
    })()))
  })
  const client = await open(app, '/')
  t.equal(await client.ended, 'aborted')
  t.equal(client.text(), 'data: "first"\n\n')
  t.equal((await request(app, '/no-such-route')).status, 404, 'the server keeps serving')
})

t.test('the ping option is checked', async (t) => {
  for (const ping of [-1, NaN, '100', 2 ** 31]) {
    t.throws(() => new EventSourceResponse([], { ping }), { code: 'FST_RESPONSES_INVALID_OPTION', message: /ping must be a number of milliseconds/ })
  }
  t.equal(new EventSourceResponse([]).ping, 15000)
})

t.test('a silent source gets `: ping` comments, the headers go out with the first one', async (t) => {
  let release
  let releaseUnpinged
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.eventSourceResponse((async function * () {
      await new Promise((resolve) => { release = resolve })
      yield 'late'
    })(), { ping: 20 }))
    app.get('/no-ping', (request, reply) => reply.eventSourceResponse((async function * () {
      await new Promise((resolve) => { releaseUnpinged = resolve })
      yield 'late'
    })(), { ping: 0 }))
  })
  // Silent from before the pinged stream starts until it has had several pings.
  const unpinged = request(app, '/no-ping')
  await until(() => releaseUnpinged !== undefined)
  const client = await open(app, '/')
  t.equal(client.res.statusCode, 200, 'the headers arrived while the source was silent')
  await until(() => client.text().split(': ping\n\n').length > 3)
  releaseUnpinged()
  release()
  t.equal(await client.ended, 'complete')
  t.match(client.text(), /^(: ping\n\n){3,}data: "late"\n\n$/)
  const silent = await unpinged
  t.notMatch(silent.text, /: ping/, 'ping: 0 sends none')
  t.equal(silent.text, 'data: "late"\n\n')
})

t.test('the source gets the response signal, which aborts once the response is over, and the last-event-id header', async (t) => {
  const seen = []
  const signals = []
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.eventSourceResponse((signal, lastEventId) => {
      seen.push([signal.aborted, lastEventId])
      signals.push(signal)
      return [new ServerSentEvent({ data: lastEventId ?? null })]
    }))
  })
  t.equal((await request(app, '/', { headers: { 'last-event-id': 'evt-41' } })).text, 'data: "evt-41"\n\n')
  t.equal((await request(app, '/')).text, 'data: null\n\n')
  t.same(seen, [[false, 'evt-41'], [false, undefined]], 'not aborted while the source starts')
  await until(() => signals.every((signal) => signal.aborted))
  t.pass('both signals aborted after their responses ended')
})

t.test('an EventSource client receives the events in order and resumes from the last id', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/events', (request, reply) => reply.eventSourceResponse(async function * (signal, lastEventId) {
      const start = lastEventId === undefined ? 0 : Number(lastEventId) + 1
      for (let i = start; i < start + 2; i++) {
        await sleep(1)
        yield new ServerSentEvent({ data: { i, text: 'two\nlines' }, id: String(i), event: i % 2 === 0 ? 'even' : 'odd', retry: 10 })
      }
    }))
  })
  const source = new EventSource(app.baseUrl + '/events')
  const received = []
  await new Promise((resolve, reject) => {
    const onEvent = (event) => {
      received.push([event.type, event.lastEventId, JSON.parse(event.data)])
      if (received.length === 5) resolve()
    }
    source.addEventListener('even', onEvent)
    source.addEventListener('odd', onEvent)
    source.onerror = (event) => { if (source.readyState === EventSource.CLOSED) reject(event) }
  })
  source.close()
  t.same(received, [
    ['even', '0', { i: 0, text: 'two\nlines' }],
    ['odd', '1', { i: 1, text: 'two\nlines' }],
    ['even', '2', { i: 2, text: 'two\nlines' }],
    ['odd', '3', { i: 3, text: 'two\nlines' }],
    ['even', '4', { i: 4, text: 'two\nlines' }]
  ], 'after each stream ended, the client reconnected with Last-Event-ID and the source resumed')
})

t.test('HEAD on an endless event stream sends the headers only', async (t) => {
  let started = false
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.eventSourceResponse((function * () { started = true; for (;;) yield 'x' })()))
  })
  const res = await request(app, '/', { method: 'HEAD' })
  t.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8')
  t.equal(res.headers['cache-control'], 'no-cache')
  t.equal(res.body.length, 0)
  t.notOk(started)
})

t.test('with @fastify/compress, events are neither compressed nor held back; other streams are compressed', async (t) => {
  let release
  const app = await startApp(t, async (app) => {
    await app.register(require('@fastify/compress'), { threshold: 0 })
    app.get('/events', (request, reply) => reply.eventSourceResponse((async function * () {
      yield 'first'
      await new Promise((resolve) => { release = resolve })
      yield 'second'
    })()))
    app.get('/text', (request, reply) => reply.streamingResponse(['compress ', 'me'], { mediaType: 'text/plain' }))
  })
  const headers = { 'accept-encoding': 'gzip, br' }
  const events = await open(app, '/events', { headers })
  t.equal(events.res.headers['content-encoding'], undefined)
  await until(() => events.text() === 'data: "first"\n\n')
  t.pass('the first event arrived while the source was still running')
  release()
  t.equal(await events.ended, 'complete')
  t.equal(events.text(), 'data: "first"\n\ndata: "second"\n\n')
  const text = await request(app, '/text', { headers })
  t.equal(text.headers['content-encoding'], 'br')
  t.equal(zlib.brotliDecompressSync(text.body).toString(), 'compress me')
})
