'use strict'
// Requests with bodies: every streaming class (and FileResponse, which streams a file) answers
// POST, PUT, PATCH and DELETE with a 64 KiB JSON body, sent with a content-length or chunked,
// through every way of sending a response, five clients at once, over HTTP/1.1 and HTTP/2: every
// answer complete and exact, every request body read whole, every source finalised.
const t = require('tap')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const http = require('node:http')
const http2 = require('node:http2')
const crypto = require('node:crypto')
const fastifyResponses = require('fastify-responses')
const { StreamingResponse, JSONLinesResponse, EventSourceResponse, FileResponse } = fastifyResponses
const { startApp } = require('../test/helpers')
const { protocols } = require('../test/stream-client')
const { Counts, baseline, checkBackToBaseline, settle, watchProcess } = require('./helpers')

const seen = watchProcess()
const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE']
const CONCURRENT = 5
const slug = (name) => name.replace(/[^a-z]+/gi, '-')
const sha = (text) => crypto.createHash('sha256').update(text).digest('hex')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-bodies-'))
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
const file = path.join(dir, 'answer.bin')
const fileBytes = crypto.randomBytes(100 * 1024)
fs.writeFileSync(file, fileBytes)

/** The request's JSON body, as the client sends it: 64 KiB of items and a marker. */
const bodyFor = (n) => JSON.stringify({ n, items: Array.from({ length: 1024 }, (_, i) => ({ i, text: 'y'.repeat(48) })) })

/** Each class, the content it is built with from the request, and the body it must answer with. */
function classesOf (counts) {
  const items = (request) => (async function * () {
    counts.add('started')
    try {
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setImmediate(resolve))
        yield `${request.body.n}:${i}:${request.body.items.length}`
      }
    } finally {
      counts.add('finalised')
    }
  })()
  const expect = (Class) => (n) => ['0', '1', '2'].map((i) => new Class([]).renderChunk(`${n}:${i}:1024`)).join('')
  return [
    { Class: StreamingResponse, decorator: 'streamingResponse', content: items, expected: expect(StreamingResponse) },
    { Class: JSONLinesResponse, decorator: 'jsonLinesResponse', content: items, expected: expect(JSONLinesResponse) },
    { Class: EventSourceResponse, decorator: 'eventSourceResponse', content: items, expected: expect(EventSourceResponse) },
    { Class: FileResponse, decorator: 'fileResponse', content: () => file, expected: () => fileBytes.toString('latin1') }
  ]
}

// How a handler sends the response; a responseClass route (and a default class) gets the content.
const ways = {
  decorator: ({ decorator, content }) => ({ handler: (request, reply) => reply[decorator](content(request), { headers: { 'x-body-sha': sha(JSON.stringify(request.body)) } }) }),
  'a returned instance': ({ Class, content }) => ({ handler: (request) => new Class(content(request), { headers: { 'x-body-sha': sha(JSON.stringify(request.body)) } }) }),
  'an async handler': ({ Class, content }) => ({ handler: async (request) => { await null; return new Class(content(request), { headers: { 'x-body-sha': sha(JSON.stringify(request.body)) } }) } }),
  'reply.sendResponse': ({ Class, content }) => ({ handler: (request, reply) => reply.sendResponse(new Class(content(request), { headers: { 'x-body-sha': sha(JSON.stringify(request.body)) } })) }),
  responseClass: ({ Class, content }) => ({ responseClass: Class, handler: (request, reply) => { reply.header('x-body-sha', sha(JSON.stringify(request.body))); return content(request) } })
}

/** One request with `body` (HTTP/1.1: framed by content-length, or chunked); resolves { status, headers, text, complete }. */
function send (baseUrl, urlPath, method, body, { chunked, overHttp2 }) {
  return new Promise((resolve, reject) => {
    const finish = (status, headers, chunks, complete) => resolve({ status, headers, text: Buffer.concat(chunks).toString('latin1'), complete })
    if (overHttp2) {
      const session = http2.connect(baseUrl)
      session.on('error', reject)
      const headers = { ':method': method, ':path': urlPath, 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': Buffer.byteLength(body) }) }
      const stream = session.request(headers, { endStream: false })
      const chunks = []
      let status
      let responseHeaders
      stream.on('response', (h) => { status = h[':status']; responseHeaders = h })
      stream.on('data', (chunk) => chunks.push(chunk))
      stream.on('error', () => {})
      stream.on('close', () => { session.close(); finish(status, responseHeaders, chunks, stream.rstCode === http2.constants.NGHTTP2_NO_ERROR) })
      stream.end(body)
      return
    }
    const headers = { 'content-type': 'application/json', ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': Buffer.byteLength(body) }) }
    const req = http.request(baseUrl + urlPath, { method, headers, agent: false }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => finish(res.statusCode, res.headers, chunks, res.complete))
      res.on('error', reject)
    })
    req.on('error', reject)
    // Chunked: the body in two writes, so it really goes as two chunks.
    if (chunked) {
      req.write(body.slice(0, 1000))
      req.end(body.slice(1000))
    } else {
      req.end(body)
    }
  })
}

for (const protocol of protocols) {
  const overHttp2 = protocol.name === 'HTTP/2'
  t.test(`${protocol.name}: every streaming class answers POST, PUT, PATCH and DELETE with a JSON body, whichever way either is sent`, async (t) => {
    const counts = new Counts()
    const classes = classesOf(counts)
    const app = await startApp(t, async (app) => {
      for (const entry of classes) {
        for (const [way, route] of Object.entries(ways)) app.route({ method: METHODS, url: `/${entry.Class.name}/${slug(way)}`, ...route(entry) })
        // FastAPI's default_response_class: the handler returns the content.
        await app.register(async (child) => {
          await child.register(fastifyResponses, { defaultResponseClass: entry.Class })
          child.route({ method: METHODS, url: '/', handler: (request, reply) => { reply.header('x-body-sha', sha(JSON.stringify(request.body))); return entry.content(request) } })
        }, { prefix: `/default/${entry.Class.name}` })
      }
    }, { fastifyOptions: { ...protocol.fastifyOptions } })
    const before = baseline()
    let answered = 0
    let exact = 0
    const wrong = []
    for (const entry of classes) {
      const paths = [...Object.keys(ways).map((way) => [way, `/${entry.Class.name}/${slug(way)}`]), ['a defaultResponseClass', `/default/${entry.Class.name}/`]]
      for (const [way, urlPath] of paths) {
        for (const method of METHODS) {
          for (const chunked of [false, true]) {
            const results = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => {
              const body = bodyFor(i)
              return send(app.baseUrl, urlPath, method, body, { chunked, overHttp2 }).then((res) => ({ res, i, body }))
            }))
            for (const { res, i, body } of results) {
              answered++
              const ok = res.status === 200 && res.complete && res.headers['x-body-sha'] === sha(body) && res.text === entry.expected(i)
              if (ok) exact++
              else wrong.push(`${method} ${entry.Class.name} by ${way}${chunked ? ', chunked' : ''}: ${res.status} ${res.text.slice(0, 80)}`)
            }
          }
        }
      }
    }
    t.comment(`answers ${answered}, complete and exact ${exact}`)
    t.same(wrong, [], `every one of ${answered} answers is complete, exact, and read the whole request body`)
    await settle(() => counts.get('finalised') === counts.get('started'), 'every source finalised')
    t.comment(`sources started ${counts.get('started')} finalised ${counts.get('finalised')}`)
    t.equal(counts.get('finalised'), counts.get('started'), 'every source finalised')
    await checkBackToBaseline(t, before, { what: 'request bodies' })
    t.equal(seen.unhandledRejection + seen.uncaughtException, 0, 'no unhandled rejection, no uncaught exception')
  })
}
