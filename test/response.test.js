'use strict'
// Response, HTMLResponse, PlainTextResponse, JSONResponse: the observable expectations of
// Starlette's tests/test_responses.py, over real HTTP, plus rendering and content errors.
const t = require('tap')
const { startApp, request, rawRequest } = require('./helpers')
const { Response, HTMLResponse, PlainTextResponse, JSONResponse, ResponseHeaders, errors } = require('fastify-responses')

t.test('text response (Starlette test_text_response)', async (t) => {
  const app = await startApp(t, (app) => { app.get('/', () => new PlainTextResponse('hello, world')) })
  const res = await request(app, '/')
  t.equal(res.text, 'hello, world')
  t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(res.headers['content-length'], '12')
})

t.test('bytes response (Starlette test_bytes_response)', async (t) => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff])
  const app = await startApp(t, (app) => {
    app.get('/buffer', () => new Response(png, { mediaType: 'image/png' }))
    app.get('/uint8array', () => new Response(new Uint8Array(png.buffer, png.byteOffset + 1, 3), { mediaType: 'image/png' }))
  })
  const res = await request(app, '/buffer')
  t.same(res.body, png)
  t.equal(res.headers['content-type'], 'image/png', 'no charset on a non-text type')
  t.equal(res.headers['content-length'], '6')
  const view = await request(app, '/uint8array')
  t.same([...view.body], [0x50, 0x4e, 0x47], 'a typed array view sends only its own bytes')
  t.equal(view.headers['content-length'], '3')
})

t.test('JSONResponse(null) sends null (Starlette test_json_none_response)', async (t) => {
  const app = await startApp(t, (app) => { app.get('/', () => new JSONResponse(null)) })
  const res = await request(app, '/')
  t.equal(res.text, 'null')
  t.equal(res.headers['content-type'], 'application/json', 'no charset on application/json')
  t.equal(res.headers['content-length'], '4')
})

t.test('JSONResponse sends compact UTF-8 JSON', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', () => new JSONResponse({ text: 'café ♥', list: [1, 2.5, true, null], nested: { a: 'b' } }))
    app.get('/string', () => new JSONResponse('just a string'))
  })
  const res = await request(app, '/')
  t.equal(res.text, '{"text":"café ♥","list":[1,2.5,true,null],"nested":{"a":"b"}}')
  t.equal(res.headers['content-length'], String(Buffer.byteLength(res.text)))
  t.equal((await request(app, '/string')).text, '"just a string"')
})

t.test('headers given and changed on the instance arrive (Starlette test_response_headers)', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', () => {
      const response = new Response('hello', { headers: { 'x-header-1': '123', 'X-Header-2': '456' } })
      response.headers.set('x-header-2', '789')
      response.headers.set('X-Count', 3)
      return response
    })
  })
  const res = await request(app, '/')
  t.equal(res.headers['x-header-1'], '123')
  t.equal(res.headers['x-header-2'], '789')
  t.equal(res.headers['x-count'], '3')
})

t.test('status phrase (Starlette test_response_phrase)', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/204', () => new Response(null, { statusCode: 204 }))
    app.get('/418', () => new Response(null, { statusCode: 418 }))
  })
  t.equal((await request(app, '/204')).statusMessage, 'No Content')
  t.equal((await request(app, '/418')).statusMessage, "I'm a Teapot")
})

t.test('populated headers (Starlette test_populate_headers)', async (t) => {
  const app = await startApp(t, (app) => { app.get('/', () => new Response('hi', { headers: {}, mediaType: 'text/html' })) })
  const res = await request(app, '/')
  t.equal(res.text, 'hi')
  t.equal(res.headers['content-length'], '2')
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
})

t.test('HEAD has no body (Starlette test_head_method)', async (t) => {
  const app = await startApp(t, (app) => { app.get('/', () => new Response('hello, world', { mediaType: 'text/plain' })) })
  const res = await request(app, '/', { method: 'HEAD' })
  t.equal(res.status, 200)
  t.equal(res.body.length, 0)
  t.equal(res.headers['content-length'], '12')
  t.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
})

t.test('empty response: content-length 0 and no content type (Starlette test_empty_response)', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', () => new Response())
    app.get('/html', () => new HTMLResponse(''))
  })
  const res = await request(app, '/')
  t.equal(res.body.length, 0)
  t.equal(res.headers['content-length'], '0')
  t.notOk('content-type' in res.headers)
  const html = await request(app, '/html')
  t.equal(html.headers['content-length'], '0')
  t.equal(html.headers['content-type'], 'text/html; charset=utf-8', 'a media type is sent even on an empty body')
})

t.test('empty 204 has no content-length (Starlette test_empty_204_response)', async (t) => {
  const app = await startApp(t, (app) => { app.get('/', () => new Response(null, { statusCode: 204 })) })
  const res = await request(app, '/')
  t.equal(res.status, 204)
  t.notOk('content-length' in res.headers)
  t.notOk('transfer-encoding' in res.headers)
})

t.test('non-empty response (Starlette test_non_empty_response)', async (t) => {
  const app = await startApp(t, (app) => { app.get('/', () => new Response('hi')) })
  const res = await request(app, '/')
  t.equal(res.headers['content-length'], '2')
  t.equal(res.headers['content-type'], 'text/plain; charset=utf-8', "Fastify's default type for text, so that no client sniffs it")
})

t.test('a bytes body with no media type gets application/octet-stream', async (t) => {
  const app = await startApp(t, (app) => { app.get('/', () => new Response(Buffer.from('<script>'))) })
  const res = await request(app, '/')
  t.equal(res.headers['content-type'], 'application/octet-stream')
})

t.test('no redundant charset (Starlette test_response_do_not_add_redundant_charset)', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', () => new Response('x', { mediaType: 'text/plain;charset=utf-8' }))
    app.get('/latin1', () => new HTMLResponse('x', { mediaType: 'text/html; Charset=ISO-8859-1' }))
    app.get('/user-type', () => new HTMLResponse('x', { headers: { 'Content-Type': 'application/xhtml+xml' } }))
  })
  t.equal((await request(app, '/')).headers['content-type'], 'text/plain;charset=utf-8')
  t.equal((await request(app, '/latin1')).headers['content-type'], 'text/html; Charset=ISO-8859-1')
  t.equal((await request(app, '/user-type')).headers['content-type'], 'application/xhtml+xml', 'a user content-type wins')
})

t.test('a user content-length that disagrees with the body is corrected', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', () => new Response('four', { headers: { 'content-length': '100' } }))
    app.get('/ok', () => new Response('ok'))
  })
  const res = await request(app, '/')
  t.equal(res.headers['content-length'], '4')
  t.equal(res.text, 'four')
  t.equal((await request(app, '/ok')).text, 'ok', 'the connection was left usable')
})

t.test('instances expose statusCode, mediaType, headers, background, body', async (t) => {
  const task = () => {}
  const html = new HTMLResponse('<p>é</p>', { statusCode: 201, background: task })
  t.equal(html.statusCode, 201)
  t.equal(html.mediaType, 'text/html')
  t.ok(html.headers instanceof ResponseHeaders)
  t.equal(html.background, task)
  t.same(html.body, Buffer.from('<p>é</p>'))
  t.equal(new PlainTextResponse().mediaType, 'text/plain')
  t.equal(new Response().mediaType, undefined)
  t.equal(new Response('x', { mediaType: 'text/csv' }).mediaType, 'text/csv')
  t.same(new Response().body, Buffer.alloc(0))
  t.same(new Response(new Uint8Array([1, 2])).body, Buffer.from([1, 2]))
  t.same(new JSONResponse({ a: 1 }).body, Buffer.from('{"a":1}'))
  const headers = new ResponseHeaders({ 'x-a': '1' })
  t.equal(new Response('x', { headers }).headers.get('x-a'), '1', 'a ResponseHeaders is accepted')
  new Response('x', { headers }).headers.set('x-a', '2')
  t.equal(headers.get('x-a'), '1', 'and copied, not shared')
})

t.test('a custom class renders content its own way (FastAPI docs custom response)', async (t) => {
  class CSVResponse extends Response {
    static mediaType = 'text/csv'
    render (rows) { return rows.map((row) => row.join(',')).join('\n') }
  }
  const app = await startApp(t, (app) => {
    app.get('/', () => new CSVResponse([['a', 'b'], [1, 2]]))
    app.get('/class', { responseClass: CSVResponse }, () => [['x']])
  })
  const res = await request(app, '/')
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(res.text, 'a,b\n1,2')
  t.equal((await request(app, '/class')).text, 'x')
})

t.test('a response instance can be sent more than once, unchanged', async (t) => {
  const shared = new HTMLResponse('<p>same</p>', { headers: { 'x-a': 'b' } }).setCookie('visit', '1')
  const app = await startApp(t, (app) => { app.get('/', () => shared) })
  for (let i = 0; i < 2; i++) {
    const res = await request(app, '/')
    t.equal(res.text, '<p>same</p>')
    t.same(res.headers['set-cookie'], ['visit=1; Path=/; SameSite=Lax'])
  }
  t.same(shared.headers.getAll('set-cookie'), ['visit=1; Path=/; SameSite=Lax'])
})

t.test('content that is neither text nor bytes needs a serializer', async (t) => {
  t.throws(() => new Response(42).body, { code: 'FST_RESPONSES_INVALID_CONTENT', message: /Response without a media type takes a string or bytes, not number/ })
  t.throws(() => new PlainTextResponse({ a: 1 }).body, { code: 'FST_RESPONSES_NO_SERIALIZER', message: /text\/plain/ })
  t.throws(() => new Response(null).render([1]), { code: 'FST_RESPONSES_INVALID_CONTENT', message: /not Array/ })
  t.throws(() => new Response(Object.create(null)).body, { message: /not object/ })
  t.same(new Response({ a: 1 }, { mediaType: 'application/json' }).body, Buffer.from('{"a":1}'), 'a media type with a serializer renders through it')
  const app = await startApp(t, (app) => {
    app.get('/bad', () => new HTMLResponse({ not: 'html' }))
    app.get('/ok', () => new HTMLResponse('ok'))
  })
  const res = await request(app, '/bad')
  t.equal(res.status, 500)
  t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_NO_SERIALIZER')
  t.equal((await request(app, '/ok')).text, 'ok')
})

t.test('JSONResponse refuses what JSON cannot carry, with a code', async (t) => {
  const circular = {}
  circular.self = circular
  for (const [name, content] of [['BigInt', { n: 1n }], ['circular', circular], ['undefined', undefined], ['a function', () => {}]]) {
    const err = t.throws(() => new JSONResponse(content).body, name)
    t.equal(err.code, 'FST_RESPONSES_SERIALIZATION', name)
    t.ok(err instanceof errors.FST_RESPONSES_SERIALIZATION, `${name}: instanceof errors.FST_RESPONSES_SERIALIZATION`)
  }
})

t.test('an invalid status code is refused at construction', async (t) => {
  for (const statusCode of [99, 600, 200.5, '200', null]) {
    t.throws(() => new Response('x', { statusCode }), { code: 'FST_RESPONSES_INVALID_STATUS' }, String(statusCode))
  }
  t.throws(() => new HTMLResponse('x', { statusCode: 0 }), { message: /HTMLResponse/ })
  t.equal(new Response('x', { statusCode: 599 }).statusCode, 599)
  t.equal(new Response('x', { statusCode: 200 }).statusCode, 200)
})

t.test('a 1xx is refused: it is interim, not a response; Early Hints are reply.writeEarlyHints', async (t) => {
  for (const statusCode of [100, 103, 199]) {
    t.throws(() => new Response('x', { statusCode }), { code: 'FST_RESPONSES_INVALID_STATUS', message: `Invalid status code for Response: ${statusCode}` })
  }
  const app = await startApp(t, (app) => {
    app.get('/instance', () => new Response('x', { statusCode: 103 }))
    app.get('/class', { responseClass: HTMLResponse }, (request, reply) => { reply.code(103); return 'x' })
    app.get('/hints', (request, reply) => {
      reply.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' })
      return new HTMLResponse('<p>hi</p>')
    })
  })
  for (const path of ['/instance', '/class']) {
    const res = await rawRequest(app, `GET ${path} HTTP/1.1`)
    t.match(res.head.toString('latin1'), /^HTTP\/1\.1 500 Internal Server Error\r\n/, `${path}: a final answer`)
    t.equal(JSON.parse(res.body).code, 'FST_RESPONSES_INVALID_STATUS', path)
  }
  const hints = await rawRequest(app, 'GET /hints HTTP/1.1')
  const text = hints.bytes.toString('latin1')
  t.match(text, /^HTTP\/1\.1 103 Early Hints\r\n[Ll]ink: <\/style\.css>; rel=preload; as=style\r\n\r\nHTTP\/1\.1 200 OK\r\n/)
  t.ok(text.endsWith('\r\n\r\n<p>hi</p>'))
})

t.test('describe names a value for error messages', async (t) => {
  const { describe } = require('../dist/responses/response.js')
  t.equal(describe(null), 'null')
  t.equal(describe(1), 'number')
  t.equal(describe(new Map()), 'Map')
  t.equal(describe(Object.create(null)), 'object')
})

t.test('a serializer registry without a media type has no serializer', async (t) => {
  const { defaultSerializers } = require('../dist/json/serializers.js')
  t.throws(() => defaultSerializers.get(undefined), { code: 'FST_RESPONSES_NO_SERIALIZER', message: /"none"/ })
  t.throws(() => defaultSerializers.get('application/x-unknown'), { code: 'FST_RESPONSES_NO_SERIALIZER', message: /application\/x-unknown/ })
})

t.test('a render override or serializer that returns neither text nor bytes fails cleanly', async (t) => {
  class BrokenResponse extends Response {
    render () { return { not: 'bytes' } }
  }
  t.throws(() => new BrokenResponse('x').body, { code: 'FST_RESPONSES_INVALID_CONTENT', message: /BrokenResponse rendered Object, not a string or bytes/ })
  const app = await startApp(t, (app) => {
    app.get('/render', () => new BrokenResponse('x', { headers: { 'x-a': 'b' } }))
    app.get('/serializer', () => new Response({}, { mediaType: 'text/x-number', headers: { 'x-a': 'b' } }))
    app.get('/ok', () => new Response('ok'))
  }, { pluginOptions: { serializers: { 'text/x-number': () => 42 } } })
  for (const path of ['/render', '/serializer']) {
    const res = await request(app, path)
    t.equal(res.status, 500, path)
    t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_INVALID_CONTENT', path)
    t.notOk('x-a' in res.headers, `${path}: no header of the failed response`)
  }
  t.equal((await request(app, '/ok')).text, 'ok')
})

t.test('content types are computed per media type, also past the cache of common ones', async (t) => {
  const { contentTypeFor } = require('../dist/http/media-type.js')
  for (let i = 0; i < 300; i++) {
    t.equal(contentTypeFor(`text/x-kind-${i}`), `text/x-kind-${i}; charset=utf-8`)
    t.equal(contentTypeFor(`application/x-kind-${i}`), `application/x-kind-${i}`)
  }
  t.equal(contentTypeFor('text/x-kind-299'), 'text/x-kind-299; charset=utf-8', 'again, uncached')
  t.equal(contentTypeFor('text/csv; charset=latin1'), 'text/csv; charset=latin1')
})
