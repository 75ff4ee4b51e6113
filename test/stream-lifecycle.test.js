'use strict'
// A stream's whole life, over HTTP/1.1 and HTTP/2: streams that answer requests with a body,
// clients that leave before the source starts, onSend hooks that throw or replace the stream,
// sources that fail in every way, and how a truncated stream ends on the wire.
const t = require('tap')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Readable } = require('node:stream')
const { constants: { NGHTTP2_INTERNAL_ERROR } } = require('node:http2')
const { startApp, request, logCapture } = require('./helpers')
const { open, openH2, protocols, pending, until } = require('./stream-client')
const { StreamingResponse, JSONLinesResponse, EventSourceResponse, FileResponse } = require('fastify-responses')

const tick = () => new Promise((resolve) => setImmediate(resolve))

/** Resolves once the response of `reply` is over, whichever way (the client gone included). */
const responseClosed = (reply) => new Promise((resolve) => reply.raw.once('close', resolve))

const classes = [
  { Class: StreamingResponse, decorator: 'streamingResponse' },
  { Class: JSONLinesResponse, decorator: 'jsonLinesResponse' },
  { Class: EventSourceResponse, decorator: 'eventSourceResponse' }
]

t.test('a stream answers a request whose body was read, whichever way it is sent, over HTTP/1.1 and HTTP/2', async (t) => {
  const methods = ['POST', 'PUT', 'PATCH', 'DELETE']
  const abortedWhileStreaming = []
  // Items that take a few turns to come, so the stream outlives the reading of the request body.
  const source = (request) => async function * (signal) {
    for (let i = 0; i < 3; i++) {
      await tick()
      if (signal?.aborted) abortedWhileStreaming.push(request.url)
      yield `${request.body.n}:${i}`
    }
  }
  const ways = {
    decorator: (Class, decorator) => ({ handler: (request, reply) => reply[decorator](source(request)) }),
    'instance-from-a-sync-handler': (Class) => ({ handler: (request) => new Class(source(request)) }),
    'instance-from-an-async-handler': (Class) => ({ handler: async (request) => { await tick(); return new Class(source(request)) } }),
    'reply.sendResponse': (Class) => ({ handler: (request, reply) => reply.sendResponse(new Class(source(request))) }),
    'route-responseClass': (Class) => ({ responseClass: Class, handler: async (request) => source(request)() })
  }
  for (const protocol of protocols) {
    const app = await startApp(t, (app) => {
      for (const { Class, decorator } of classes) {
        for (const [way, route] of Object.entries(ways)) {
          app.route({ method: methods, url: `/${Class.name}/${way}`, ...route(Class, decorator) })
        }
      }
    }, { fastifyOptions: protocol.fastifyOptions })
    for (const { Class } of classes) {
      const expected = ['7:0', '7:1', '7:2'].map((item) => new Class([]).renderChunk(item)).join('')
      for (const way of Object.keys(ways)) {
        for (const method of methods) {
          const name = `${protocol.name} ${method} ${Class.name} by ${way}`
          const client = await protocol.open(app, `/${Class.name}/${way}`, {
            method, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: 7 })
          })
          t.equal(client.status, 200, name)
          t.equal(await client.ended, 'complete', name)
          t.equal(client.text(), expected, name)
        }
      }
    }
  }
  t.same(abortedWhileStreaming, [], 'no source saw its signal abort while its response was being sent')
})

t.test('a source is not started for a client gone before its response was sent; one that started is finalised when its client leaves', async (t) => {
  const clients = 50
  for (const protocol of protocols) {
    const counts = { waiting: 0, sent: 0, called: 0, generatorsStarted: 0, started: 0, aborted: 0, finalised: 0 }
    const generators = []
    const app = await startApp(t, (app) => {
      app.addHook('onSend', async () => { counts.sent++ })
      app.register(async (scope) => {
        // The client leaves while this hook waits: the route's source starts after it has gone.
        scope.addHook('preHandler', async (request, reply) => {
          counts.waiting++
          await responseClosed(reply)
        })
        scope.get('/gone/function', (request, reply) => reply.eventSourceResponse(async function * () { counts.called++; yield 'never' }))
        scope.get('/gone/generator', (request, reply) => {
          const generator = (async function * () { counts.generatorsStarted++; yield 'never' })()
          generators.push(generator)
          return reply.streamingResponse(generator)
        })
      })
      app.get('/gone/slow-handler', async (request, reply) => {
        counts.waiting++
        await responseClosed(reply)
        return new JSONLinesResponse(() => { counts.called++; return ['never'] })
      })
      app.get('/leaves-while-starting', (request, reply) => reply.eventSourceResponse(async function * (signal) {
        counts.started++
        signal.addEventListener('abort', () => { counts.aborted++ })
        try {
          // Silent until the client has left (ping: 0 sends nothing meanwhile).
          await new Promise((resolve) => signal.addEventListener('abort', resolve))
          yield 'after the client left'
        } finally {
          counts.finalised++
        }
      }, { ping: 0 }))
      app.get('/ok', (request, reply) => reply.streamingResponse(['still ', 'serving']))
    }, { fastifyOptions: protocol.fastifyOptions })

    const gone = ['/gone/function', '/gone/generator', '/gone/slow-handler']
    const waiting = []
    for (const url of gone) for (let i = 0; i < clients; i++) waiting.push(pending(app, url, { http2: protocol.fastifyOptions.http2 }))
    await until(() => counts.waiting === waiting.length, 10000)
    for (const client of waiting) client.leave()
    // onSend runs once the response is built: by then the source was started or not.
    await until(() => counts.sent === waiting.length, 10000)
    t.equal(counts.called, 0, `${protocol.name}: no function source was called for a client already gone`)
    t.equal(counts.generatorsStarted, 0, `${protocol.name}: no generator was started`)
    const closed = await Promise.all(generators.map((generator) => generator.next()))
    t.ok(closed.length === clients && closed.every((result) => result.done === true), `${protocol.name}: every generator was closed`)
    t.equal(counts.generatorsStarted, 0, `${protocol.name}: and stays unstarted`)

    const leaving = []
    for (let i = 0; i < clients; i++) leaving.push(pending(app, '/leaves-while-starting', { http2: protocol.fastifyOptions.http2 }))
    await until(() => counts.started === clients, 10000)
    for (const client of leaving) client.leave()
    await until(() => counts.aborted === clients && counts.finalised === clients, 10000)
    t.pass(`${protocol.name}: every started source saw its signal abort and its finally run`)

    const ok = await protocol.open(app, '/ok')
    t.equal(await ok.ended, 'complete', `${protocol.name}: the server keeps serving`)
    t.equal(ok.text(), 'still serving')
  }
})

t.test('an onSend hook that throws or replaces the stream does not leak its source', async (t) => {
  const requests = 20
  const counts = {}
  const app = await startApp(t, (app) => {
    const hooks = {
      throws: async () => { throw new Error('onSend failed') },
      replaces: async () => 'replaced'
    }
    for (const [shape, hook] of Object.entries(hooks)) {
      app.register(async (scope) => {
        scope.addHook('onSend', hook)
        for (const Class of [StreamingResponse, EventSourceResponse]) {
          const name = `${Class.name} ${shape}`
          counts[name] = { started: 0, finalised: 0 }
          scope.get(`/${shape}/${Class.name}`, () => new Class(async function * () {
            counts[name].started++
            try {
              for (;;) { yield 'endless'; await tick() }
            } finally {
              counts[name].finalised++
            }
          }))
        }
      })
    }
  })
  for (const shape of ['throws', 'replaces']) {
    for (const Class of [StreamingResponse, EventSourceResponse]) {
      const name = `${Class.name} ${shape}`
      for (let i = 0; i < requests; i++) {
        const res = await request(app, `/${shape}/${Class.name}`)
        if (shape === 'throws') t.equal(res.status, 500, name)
        else t.equal(res.text, 'replaced', name)
      }
      await until(() => counts[name].finalised === requests)
      t.equal(counts[name].started, requests, `${name}: every source ran, and every finally`)
    }
  }
})

t.test('no source brings the process down: the response is truncated or an error response, logged once, and the server keeps serving', async (t) => {
  const capture = logCapture()
  const app = await startApp(t, (app) => {
    app.get('/rows', () => {
      let row = 0
      return new StreamingResponse(new Readable({
        read () {
          if (++row === 500) this.destroy(new Error('row 500 failed'))
          else this.push(row + ',v\n')
        }
      }))
    })
    app.get('/destroyed-before-read', async () => {
      const readable = new Readable({ read () {} })
      const response = new StreamingResponse(readable)
      readable.destroy(new Error('destroyed before it was read'))
      // Its 'error' event is emitted while nothing reads it yet.
      await tick()
      return response
    })
    app.get('/web-fails-later', () => new StreamingResponse(new ReadableStream({
      start (controller) { controller.enqueue('first,') },
      pull (controller) { controller.error(new Error('web stream failed')) }
    })))
    app.get('/web-fails-at-once', () => new StreamingResponse(new ReadableStream({
      start (controller) { controller.error(new Error('web stream failed at once')) }
    })))
    const endless = { next: async () => { await tick(); return { done: false, value: 'x' } } }
    app.get('/return-throws', () => new StreamingResponse({ [Symbol.asyncIterator]: () => ({ ...endless, return () { throw new Error('return threw') } }) }))
    app.get('/return-rejects', () => new StreamingResponse({ [Symbol.asyncIterator]: () => ({ ...endless, return: async () => { throw new Error('return rejected') } }) }))
    app.get('/cancel-throws', () => new StreamingResponse(new ReadableStream({
      async pull (controller) { await tick(); controller.enqueue('w') },
      cancel () { throw new Error('cancel threw') }
    })))
    app.get('/ok', () => new StreamingResponse(['fine']))
  }, { fastifyOptions: capture.fastifyOptions })
  const logged = (message) => capture.lines.filter((line) => line.err?.message === message)
  const loggedOnce = async (message, name) => {
    await until(() => logged(message).length > 0)
    t.equal((await request(app, '/ok')).text, 'fine', `${name}: the server keeps serving`)
    t.equal(logged(message).length, 1, `${name}: logged once`)
  }

  for (const [path, message, received] of [['/rows', 'row 500 failed', /^1,v\n[\s\S]*499,v\n$/], ['/web-fails-later', 'web stream failed', /^first,$/]]) {
    const client = await open(app, path)
    t.equal(client.status, 200, path)
    t.equal(await client.ended, 'aborted', `${path}: the chunked body does not complete`)
    t.match(client.text(), received, path)
    await loggedOnce(message, path)
  }
  for (const [path, message] of [['/destroyed-before-read', 'destroyed before it was read'], ['/web-fails-at-once', 'web stream failed at once']]) {
    const res = await request(app, path)
    t.equal(res.status, 500, path)
    t.equal(JSON.parse(res.text).message, message, path)
    await loggedOnce(message, path)
  }
  for (const [path, message] of [['/return-throws', 'return threw'], ['/return-rejects', 'return rejected'], ['/cancel-throws', 'cancel threw']]) {
    const client = await open(app, path)
    await until(() => client.chunks.length > 0)
    client.req.destroy()
    await loggedOnce(message, path)
    t.equal(logged(message)[0].msg, 'closing the stream source failed', path)
  }
})

t.test('over HTTP/2, a stream that fails after its first chunk is reset with INTERNAL_ERROR; a complete one ends cleanly', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/complete', (request, reply) => reply.streamingResponse(async function * () { yield 'first,'; await tick(); yield 'last' }))
    app.get('/generator', (request, reply) => reply.streamingResponse(async function * () {
      yield 'first,'
      await tick()
      throw new Error('generator failed')
    }))
    app.get('/events', (request, reply) => reply.eventSourceResponse(async function * () {
      yield 'first'
      await tick()
      throw new Error('event source failed')
    }))
    app.get('/readable', () => new StreamingResponse(new Readable({
      read () {
        if (this.pushed) return
        this.pushed = true
        this.push('first,')
        setImmediate(() => this.destroy(new Error('readable failed')))
      }
    })))
  }, { fastifyOptions: { http2: true } })
  const complete = await openH2(app, '/complete')
  t.equal(await complete.ended, 'complete')
  t.equal(complete.stream.rstCode, 0, 'a complete stream: END_STREAM, no error code')
  t.equal(complete.text(), 'first,last')
  for (const [path, received] of [['/generator', 'first,'], ['/events', 'data: "first"\n\n'], ['/readable', 'first,']]) {
    const client = await openH2(app, path)
    t.equal(client.status, 200, path)
    t.equal(await client.ended, 'aborted', `${path}: the client sees the stream reset`)
    t.equal(client.stream.rstCode, NGHTTP2_INTERNAL_ERROR, `${path}: with INTERNAL_ERROR`)
    t.equal(client.text(), received, path)
  }
})

t.test('a body that fails before its first byte is an ordinary error response, over HTTP/1.1 and HTTP/2', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-lifecycle-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'shrinks.txt')
  for (const protocol of protocols) {
    fs.writeFileSync(file, 'x'.repeat(1000))
    const app = await startApp(t, (app) => {
      // After the file was opened and its length announced, before its first read.
      app.addHook('onSend', async () => { fs.truncateSync(file, 0) })
      app.get('/', () => new FileResponse(file, { chunkSize: 16 }))
    }, { fastifyOptions: protocol.fastifyOptions })
    const client = await protocol.open(app, '/')
    t.equal(client.status, 500, protocol.name)
    t.equal(await client.ended, 'complete', `${protocol.name}: the error response is complete`)
    t.equal(JSON.parse(client.text()).code, 'FST_RESPONSES_FILE_UNREADABLE', protocol.name)
  }
})
