'use strict'
// The three ways to send (returned instance, reply decorators, responseClass), HEAD on each,
// and that sending goes through Fastify's reply: other plugins' hooks run and their headers stay.
const t = require('tap')
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')
const { startApp, request, logCapture } = require('./helpers')
const { Response, HTMLResponse, PlainTextResponse, JSONResponse, RedirectResponse, StreamingResponse, JSONLinesResponse } = fastifyResponses

/** Every way of sending the same HTML page, one route each. */
function htmlRoutes (app) {
  app.get('/sync-instance', () => new HTMLResponse('<p>hi</p>', { headers: { 'x-both': 'response' } }))
  app.get('/async-instance', async () => new HTMLResponse('<p>hi</p>', { headers: { 'x-both': 'response' } }))
  app.get('/decorator', async (request, reply) => reply.htmlResponse('<p>hi</p>', { headers: { 'x-both': 'response' } }))
  app.get('/sync-decorator', (request, reply) => { reply.htmlResponse('<p>hi</p>', { headers: { 'x-both': 'response' } }) })
  app.get('/sync-returns-reply', (request, reply) => reply.htmlResponse('<p>hi</p>', { headers: { 'x-both': 'response' } }))
  app.get('/send-response', async (request, reply) => reply.sendResponse(new HTMLResponse('<p>hi</p>', { headers: { 'x-both': 'response' } })))
  app.get('/response-class', { responseClass: HTMLResponse }, async (request, reply) => {
    reply.header('x-both', 'response')
    return '<p>hi</p>'
  })
}
const htmlPaths = ['/sync-instance', '/async-instance', '/decorator', '/sync-decorator', '/sync-returns-reply', '/send-response', '/response-class']

t.test('every way of sending gives the same response, with no warning logged', async (t) => {
  const logs = logCapture()
  const app = await startApp(t, htmlRoutes, { fastifyOptions: logs.fastifyOptions })
  for (const path of htmlPaths) {
    const res = await request(app, path)
    t.equal(res.status, 200, path)
    t.equal(res.headers['content-type'], 'text/html; charset=utf-8', path)
    t.equal(res.headers['content-length'], '9', path)
    t.equal(res.text, '<p>hi</p>', path)
  }
  t.same(logs.lines.filter((line) => line.level >= 40), [], 'nothing logged at warn or above')
})

t.test('hooks of other plugins run and their headers are kept, the response wins a shared header', async (t) => {
  let responded = 0
  const app = await startApp(t, (app) => {
    app.addHook('onRequest', async (request, reply) => {
      reply.header('access-control-allow-origin', '*')
      reply.header('x-both', 'hook')
    })
    app.addHook('onSend', async (request, reply, payload) => {
      reply.header('x-frame-options', 'DENY')
      return payload
    })
    app.addHook('onResponse', async () => { responded++ })
    htmlRoutes(app)
  })
  for (const path of htmlPaths) {
    for (const method of ['GET', 'HEAD']) {
      const res = await request(app, path, { method })
      t.equal(res.headers['access-control-allow-origin'], '*', `${method} ${path}: header set before sending`)
      t.equal(res.headers['x-frame-options'], 'DENY', `${method} ${path}: header set in onSend`)
      t.equal(res.headers['x-both'], 'response', `${method} ${path}: the response's own value wins`)
    }
  }
  t.equal(responded, htmlPaths.length * 2, 'onResponse ran for every request')
})

t.test('HEAD gets the status and headers of GET and no body, whatever the way of sending', async (t) => {
  const app = await startApp(t, (app) => {
    htmlRoutes(app)
    app.get('/redirect', () => new RedirectResponse('/there'))
    app.get('/empty', () => new Response())
    app.get('/no-content', () => new Response(null, { statusCode: 204, headers: { 'x-a': 'b' } }))
    app.get('/not-modified', (request, reply) => reply.response('ignored', { statusCode: 304, headers: { etag: '"1"' } }))
    app.get('/json', { responseClass: JSONResponse }, () => ({ a: [1, 2] }))
  })
  for (const path of [...htmlPaths, '/redirect', '/empty', '/no-content', '/not-modified', '/json']) {
    const get = await request(app, path)
    const head = await request(app, path, { method: 'HEAD' })
    t.equal(head.status, get.status, `${path}: status`)
    const { date: getDate, ...getHeaders } = get.headers
    const { date: headDate, ...headHeaders } = head.headers
    t.same(headHeaders, getHeaders, `${path}: headers`)
    t.equal(head.body.length, 0, `${path}: no body`)
  }
})

t.test('status without a body: 204 and 304 send no content-length and no body', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/204', () => new PlainTextResponse('dropped', { statusCode: 204 }))
    app.get('/304', () => new HTMLResponse('dropped', { statusCode: 304 }))
  })
  for (const path of ['/204', '/304']) {
    const res = await request(app, path)
    t.equal(res.status, Number(path.slice(1)))
    t.notOk('content-length' in res.headers, `${path}: no content-length`)
    t.equal(res.body.length, 0, `${path}: no body`)
  }
})

t.test('routes declared before the plugin was registered send returned instances too', async (t) => {
  const app = Fastify()
  app.addHook('onRequest', async (request, reply) => { reply.header('x-early', 'yes') })
  app.get('/sync', () => new HTMLResponse('<b>early</b>', { statusCode: 201 }))
  app.get('/async', async () => new JSONResponse({ early: true }))
  app.get('/text', async () => new Response('plain'))
  app.get('/bytes', async () => new Response(Buffer.from([1, 2, 3])))
  app.get('/empty', async () => new Response())
  app.get('/plain-object', async () => ({ untouched: true }))
  app.get('/bad', async () => new Response(42))
  app.get('/no-content', () => new Response(null, { statusCode: 204 }))
  app.get('/not-modified', async () => new HTMLResponse('dropped', { statusCode: 304 }))
  app.get('/decorator-no-content', async (request, reply) => reply.response(null, { statusCode: 204 }))
  app.get('/decorator-text', (request, reply) => { reply.plainTextResponse('decorated') })
  app.register(async (child) => { child.get('/child', () => new HTMLResponse('<p>child</p>')) })
  await app.register(fastifyResponses)
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  app.baseUrl = `http://127.0.0.1:${app.server.address().port}`

  const sync = await request(app, '/sync')
  t.equal(sync.status, 201)
  t.equal(sync.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(sync.headers['x-early'], 'yes')
  t.equal(sync.text, '<b>early</b>')
  const json = await request(app, '/async')
  t.equal(json.headers['content-type'], 'application/json')
  t.equal(json.text, '{"early":true}')
  const text = await request(app, '/text')
  t.equal(text.headers['content-type'], 'text/plain; charset=utf-8', 'same default type as on later routes')
  t.equal(text.text, 'plain')
  const bytes = await request(app, '/bytes')
  t.equal(bytes.headers['content-type'], 'application/octet-stream')
  t.same([...bytes.body], [1, 2, 3])
  const empty = await request(app, '/empty')
  t.notOk('content-type' in empty.headers)
  t.equal(empty.headers['content-length'], '0')
  const plain = await request(app, '/plain-object')
  t.equal(plain.headers['content-type'], 'application/json; charset=utf-8', 'Fastify serializes other values as before')
  t.equal(plain.text, '{"untouched":true}')
  const bad = await request(app, '/bad')
  t.equal(bad.status, 500)
  t.equal(JSON.parse(bad.text).code, 'FST_RESPONSES_INVALID_CONTENT')
  const child = await request(app, '/child')
  t.equal(child.headers['content-type'], 'text/html; charset=utf-8', 'a route of an encapsulated plugin registered earlier')
  t.equal(child.text, '<p>child</p>')
  for (const path of ['/sync', '/async', '/text', '/bytes', '/empty', '/no-content', '/not-modified', '/decorator-no-content', '/decorator-text', '/child']) {
    const get = await request(app, path)
    const head = await request(app, path, { method: 'HEAD' })
    t.equal(head.status, get.status, `HEAD ${path}: status`)
    const { date: getDate, ...getHeaders } = get.headers
    const { date: headDate, ...headHeaders } = head.headers
    t.same(headHeaders, getHeaders, `HEAD ${path}: the headers of GET`)
    t.equal(head.body.length, 0, `HEAD ${path}: no body`)
  }
  t.notOk('content-length' in (await request(app, '/no-content')).headers, '204: no content-length')
  t.notOk('content-length' in (await request(app, '/not-modified')).headers, '304: no content-length')
  t.notOk('content-length' in (await request(app, '/decorator-no-content', { method: 'HEAD' })).headers, 'HEAD 204 from a decorator: no content-length')
  t.equal((await request(app, '/decorator-text')).text, 'decorated')
})

t.test('reply decorators each return the reply', async (t) => {
  const returned = {}
  const app = await startApp(t, (app) => {
    const calls = {
      response: (reply) => reply.response('r'),
      htmlResponse: (reply) => reply.htmlResponse('<i>h</i>'),
      plainTextResponse: (reply) => reply.plainTextResponse('p'),
      jsonResponse: (reply) => reply.jsonResponse([1]),
      redirectResponse: (reply) => reply.redirectResponse('/x'),
      sendResponse: (reply) => reply.sendResponse(new Response('s'))
    }
    for (const [name, call] of Object.entries(calls)) {
      app.get('/' + name, async (request, reply) => {
        const result = call(reply)
        returned[name] = result === reply
        return result
      })
    }
  })
  const expected = {
    response: [200, undefined, 'r'],
    htmlResponse: [200, 'text/html; charset=utf-8', '<i>h</i>'],
    plainTextResponse: [200, 'text/plain; charset=utf-8', 'p'],
    jsonResponse: [200, 'application/json', '[1]'],
    redirectResponse: [307, undefined, ''],
    sendResponse: [200, undefined, 's']
  }
  for (const [name, [status, type, body]] of Object.entries(expected)) {
    const res = await request(app, '/' + name)
    t.equal(res.status, status, name)
    if (type !== undefined) t.equal(res.headers['content-type'], type, name)
    t.equal(res.text, body, name)
    t.equal(returned[name], true, `reply.${name} returned the reply`)
  }
})

t.test('a decorator given invalid arguments answers a coded error and the server keeps serving', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/bad-status', async (request, reply) => reply.htmlResponse('x', { statusCode: 99 }))
    app.get('/bad-header', async (request, reply) => reply.response('x', { headers: { 'x-a': 'b\r\nset-cookie: evil=1' } }))
    app.get('/not-a-response', async (request, reply) => reply.sendResponse('<p>a string</p>'))
    app.get('/ok', async (request, reply) => reply.plainTextResponse('still here'))
  })
  const status = await request(app, '/bad-status')
  t.equal(status.status, 500)
  t.equal(JSON.parse(status.text).code, 'FST_RESPONSES_INVALID_STATUS')
  const header = await request(app, '/bad-header')
  t.equal(header.status, 500)
  t.equal(JSON.parse(header.text).code, 'FST_RESPONSES_INVALID_HEADER')
  t.notOk('set-cookie' in header.headers)
  t.notOk('x-a' in header.headers)
  const notResponse = await request(app, '/not-a-response')
  t.equal(notResponse.status, 500)
  t.same(JSON.parse(notResponse.text).code, 'FST_RESPONSES_INVALID_CONTENT')
  t.match(JSON.parse(notResponse.text).message, /reply.sendResponse takes a Response instance, not string/)
  t.equal((await request(app, '/ok')).text, 'still here')
})

t.test('responseClass makes the return value the content', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/html', { responseClass: HTMLResponse }, async () => '<h1>page</h1>')
    app.get('/redirect', { responseClass: RedirectResponse }, () => '/I ♥ Starlette/')
    app.get('/redirect-301', { responseClass: RedirectResponse }, (request, reply) => {
      reply.code(301)
      return '/moved'
    })
    app.get('/json', { responseClass: JSONResponse }, async () => ({ data: [1, 'two', null] }))
    app.get('/json-null', { responseClass: JSONResponse }, async () => null)
    app.get('/created', { responseClass: JSONResponse }, async (request, reply) => {
      reply.code(201)
      return { id: 7 }
    })
    app.get('/instance', { responseClass: JSONResponse }, async () => new PlainTextResponse('as is'))
    app.get('/sent-by-hand', { responseClass: JSONResponse }, (request, reply) => { reply.type('text/plain').send('by hand') })
    app.get('/returns-reply', { responseClass: JSONResponse }, async (request, reply) => reply.type('text/plain').send('reply'))
  })
  const html = await request(app, '/html')
  t.equal(html.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(html.text, '<h1>page</h1>')
  const redirect = await request(app, '/redirect')
  t.equal(redirect.status, 307, 'the class default status')
  t.equal(redirect.headers.location, '/I%20%E2%99%A5%20Starlette/')
  const moved = await request(app, '/redirect-301')
  t.equal(moved.status, 301, 'reply.code() wins over the class default')
  t.equal(moved.headers.location, '/moved')
  t.equal((await request(app, '/json')).text, '{"data":[1,"two",null]}')
  t.equal((await request(app, '/json-null')).text, 'null')
  const created = await request(app, '/created')
  t.equal(created.status, 201)
  t.equal(created.text, '{"id":7}')
  const instance = await request(app, '/instance')
  t.equal(instance.headers['content-type'], 'text/plain; charset=utf-8', 'a returned instance is sent as it is')
  t.equal(instance.text, 'as is')
  t.equal((await request(app, '/sent-by-hand')).text, 'by hand')
  t.equal((await request(app, '/returns-reply')).text, 'reply')
})

t.test('defaultResponseClass applies to every route, a route responseClass overrides it', async (t) => {
  const app = await startApp(t, (app) => {
    app.addHook('onRequest', async (request, reply) => { reply.header('x-hook', 'kept') })
    app.get('/', () => '<p>default</p>')
    app.get('/data', { responseClass: JSONResponse }, () => ({ ok: true }))
    app.register(async (child) => {
      child.get('/child', async () => '<p>child</p>')
    }, { prefix: '/nested' })
  }, { pluginOptions: { defaultResponseClass: HTMLResponse } })
  const home = await request(app, '/')
  t.equal(home.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(home.text, '<p>default</p>')
  t.equal(home.headers['x-hook'], 'kept', 'a header a hook set arrives')
  t.equal((await request(app, '/data')).headers['content-type'], 'application/json')
  const child = await request(app, '/nested/child')
  t.equal(child.headers['content-type'], 'text/html; charset=utf-8', 'encapsulated routes too')
  t.equal(child.text, '<p>child</p>')
})

t.test('a stream defaultResponseClass streams the iterables handlers return and leaves other values to Fastify', async (t) => {
  const app = await startApp(t, (app) => {
    app.register(async (child) => {
      await child.register(fastifyResponses, { defaultResponseClass: JSONLinesResponse })
      child.get('/generator', async function * () { yield { n: 1 }; yield { n: 2 } })
      child.get('/array', () => [{ n: 1 }, { n: 2 }])
      child.get('/health', () => 'ok')
      child.get('/object', () => ({ ok: true }))
    }, { prefix: '/jsonl' })
    app.register(async (child) => {
      await child.register(fastifyResponses, { defaultResponseClass: StreamingResponse })
      child.get('/generator', function * () { yield 'a'; yield 'b' })
    }, { prefix: '/stream' })
  })
  for (const path of ['/jsonl/generator', '/jsonl/array']) {
    const res = await request(app, path)
    t.equal(res.headers['content-type'], 'application/jsonl', `${path}: streamed by the default class`)
    t.equal(res.text, '{"n":1}\n{"n":2}\n', `${path}: every item`)
  }
  t.equal((await request(app, '/stream/generator')).text, 'ab', 'a sync generator under StreamingResponse')
  const health = await request(app, '/jsonl/health')
  t.same([health.status, health.text], [200, 'ok'], 'a string is not a source: Fastify sends it')
  const object = await request(app, '/jsonl/object')
  t.same([object.status, object.text], [200, '{"ok":true}'], 'nor is a plain object: Fastify sends it as JSON')
})

t.test('a response class for a route must be a Response subclass', async (t) => {
  const app = Fastify()
  await app.register(fastifyResponses)
  t.throws(() => app.get('/', { responseClass: class NotAResponse {} }, () => 'x'), { code: 'FST_RESPONSES_INVALID_OPTION' })
  t.throws(() => app.get('/f', { responseClass: 'HTMLResponse' }, () => 'x'), { code: 'FST_RESPONSES_INVALID_OPTION', message: /GET \/f/ })
  await app.close()
})

t.test("after an onSend hook failed, an error handler's object is sent as Fastify sends it: the route's schema, else JSON", async (t) => {
  const app = await startApp(t, (app) => {
    app.addHook('onSend', async (request) => {
      if (request.failedOnce !== true) {
        request.failedOnce = true
        throw new Error('onSend failed')
      }
    })
    app.setErrorHandler((err, request, reply) => { reply.code(500).send({ handled: err.message, extra: 'kept without a schema' }) })
    app.get('/plain', (request, reply) => reply.jsonResponse({ ok: true }))
    app.get('/html', () => new HTMLResponse('<p>ok</p>'))
    app.get('/schema', { schema: { response: { 500: { type: 'object', properties: { handled: { type: 'string' } } } } } }, (request, reply) => reply.jsonResponse({ ok: true }))
  })
  for (const path of ['/plain', '/html']) {
    const res = await request(app, path)
    t.equal(res.status, 500, path)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8', `${path}: typed as Fastify types JSON`)
    t.same(JSON.parse(res.text), { handled: 'onSend failed', extra: 'kept without a schema' }, path)
  }
  const schema = await request(app, '/schema')
  t.equal(schema.status, 500)
  t.equal(schema.text, '{"handled":"onSend failed"}', "the route's schema for the status")
})

t.test('an error thrown while rendering sends a clean error response with no header of the response', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/circular', () => {
      const data = { name: 'loop' }
      data.self = data
      return new JSONResponse(data, { headers: { 'x-response': 'yes' } }).setCookie('session', 'abc')
    })
    app.get('/bigint', (request, reply) => reply.jsonResponse({ n: 1n }, { statusCode: 201 }))
    app.get('/bigint-route', { responseClass: JSONResponse }, async () => ({ n: 2n }))
    app.get('/ok', () => new JSONResponse({ fine: true }))
  })
  for (const path of ['/circular', '/bigint', '/bigint-route']) {
    const res = await request(app, path)
    t.equal(res.status, 500, path)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8', path)
    const error = JSON.parse(res.text)
    t.equal(error.code, 'FST_RESPONSES_SERIALIZATION', path)
    t.notOk('x-response' in res.headers, `${path}: no header of the failed response`)
    t.notOk('set-cookie' in res.headers, `${path}: no cookie of the failed response`)
    t.ok(res.complete, `${path}: a complete response`)
  }
  t.equal((await request(app, '/ok')).text, '{"fine":true}')
})

t.test('a response that prepares asynchronously is awaited; a rejection gives a clean error', async (t) => {
  const { kRespond } = require('../dist/responses/response.js')
  // The sending contract the streaming and file classes use: [kRespond] may return a promise.
  class DelayedResponse extends Response {
    async [kRespond] (reply, context) {
      await new Promise((resolve) => setImmediate(resolve))
      if (this.content === 'fail') throw new Error('not ready')
      return super[kRespond](reply, context)
    }
  }
  const app = await startApp(t, (app) => {
    app.get('/instance', () => new DelayedResponse('later', { headers: { 'x-a': 'b' } }))
    app.get('/decorator', async (request, reply) => reply.sendResponse(new DelayedResponse('decorated')))
    app.get('/fail', () => new DelayedResponse('fail', { headers: { 'x-a': 'b' } }))
  })
  const instance = await request(app, '/instance')
  t.equal(instance.text, 'later')
  t.equal(instance.headers['x-a'], 'b')
  t.equal((await request(app, '/decorator')).text, 'decorated')
  const fail = await request(app, '/fail')
  t.equal(fail.status, 500)
  t.notOk('x-a' in fail.headers)
  t.equal((await request(app, '/instance')).text, 'later', 'the server keeps serving')

  const early = Fastify()
  early.get('/', () => new DelayedResponse('early'))
  early.get('/fail', () => new DelayedResponse('fail'))
  await early.register(fastifyResponses)
  t.equal((await early.inject('/')).body, 'early', 'also from the fallback for routes declared before registration')
  t.equal((await early.inject('/fail')).statusCode, 500)
  await early.close()
})

t.test('an explicit HEAD route gets the same treatment', async (t) => {
  const app = await startApp(t, (app) => {
    app.head('/explicit', () => new Response(null, { statusCode: 204, headers: { 'x-a': 'b' } }))
    app.route({ method: ['GET', 'HEAD'], url: '/both', handler: () => new HTMLResponse('<p>both</p>') })
  })
  const explicit = await request(app, '/explicit', { method: 'HEAD' })
  t.equal(explicit.status, 204)
  t.equal(explicit.headers['x-a'], 'b')
  t.notOk('content-length' in explicit.headers)
  const head = await request(app, '/both', { method: 'HEAD' })
  t.equal(head.headers['content-length'], '11')
  t.equal(head.body.length, 0)
  t.equal((await request(app, '/both')).text, '<p>both</p>')
})
