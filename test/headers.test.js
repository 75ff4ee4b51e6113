'use strict'
// ResponseHeaders: case-insensitive, one set-cookie line per cookie, and no header that could
// inject another or that Node would refuse halfway through sending.
const t = require('tap')
const { startApp, request, rawRequest } = require('./helpers')
const { Response, HTMLResponse, ResponseHeaders, errors } = require('fastify-responses')

t.test('names are case-insensitive and stored lowercased', async (t) => {
  const headers = new ResponseHeaders({ 'X-Custom': 'a' })
  t.equal(headers.get('x-custom'), 'a')
  t.equal(headers.get('X-CUSTOM'), 'a')
  t.ok(headers.has('X-Custom'))
  t.notOk(headers.has('x-other'))
  t.equal(headers.get('x-other'), undefined)
  headers.set('X-CUSTOM', 'b')
  t.same([...headers], [['x-custom', 'b']])
  t.equal(headers.delete('x-Custom'), true)
  t.equal(headers.delete('x-custom'), false)
  t.same([...headers], [])
})

t.test('built from an object, arrays of values, entries or another ResponseHeaders', async (t) => {
  const fromObject = new ResponseHeaders({ 'x-a': '1', 'x-n': 2, vary: ['accept', 'origin'] })
  t.same(fromObject.toObject(), { 'x-a': '1', 'x-n': '2', vary: ['accept', 'origin'] })
  t.equal(fromObject.get('vary'), 'accept, origin', 'repeated values read comma-joined')
  t.equal(fromObject.size, 3, 'size counts header names, a repeated one once')
  t.equal(new ResponseHeaders().size, 0)
  const fromEntries = new ResponseHeaders([['X-A', '1'], ['x-a', '2']])
  t.same(fromEntries.getAll('x-a'), ['1', '2'])
  const fromMap = new ResponseHeaders(new Map([['x-m', 'v']]))
  t.equal(fromMap.get('x-m'), 'v')
  const copy = new ResponseHeaders(fromObject)
  copy.append('vary', 'cookie')
  t.same(fromObject.getAll('vary'), ['accept', 'origin'], 'a copy does not share values')
  t.same(copy.getAll('vary'), ['accept', 'origin', 'cookie'])
  t.same([...new ResponseHeaders()], [])
  t.same([...new ResponseHeaders(null)], [])
})

t.test('set-cookie keeps one line per value; getAll and toObject return copies', async (t) => {
  const headers = new ResponseHeaders()
  headers.append('Set-Cookie', 'a=1')
  t.same(headers.toObject()['set-cookie'], ['a=1'], 'even a single cookie is a list')
  headers.append('set-cookie', 'b=2')
  headers.append('x-single', 'one')
  t.same(headers.getAll('set-cookie'), ['a=1', 'b=2'])
  t.same(headers.getAll('x-single'), ['one'])
  t.same(headers.getAll('x-none'), [])
  headers.getAll('set-cookie').push('c=3')
  headers.toObject()['set-cookie'].push('c=3')
  t.same(headers.getAll('set-cookie'), ['a=1', 'b=2'])
  t.same([...headers], [['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-single', 'one']])
  t.equal(JSON.stringify(headers), '{"set-cookie":["a=1","b=2"],"x-single":"one"}')
})

t.test('a value that could inject a header, or that Node would refuse, is an error with a code', async (t) => {
  const bad = ['a\r\nx-evil: 1', 'a\nb', 'a\rb', 'a\0b', 'bell\x07', 'del\x7f', 'heart ♥', true, undefined, {}]
  for (const value of bad) {
    const err = t.throws(() => new ResponseHeaders({ 'x-a': value }), JSON.stringify(String(value)))
    t.equal(err.code, 'FST_RESPONSES_INVALID_HEADER')
    t.ok(err instanceof errors.FST_RESPONSES_INVALID_HEADER)
    t.throws(() => new ResponseHeaders().set('x-a', value), { code: 'FST_RESPONSES_INVALID_HEADER' })
    t.throws(() => new ResponseHeaders().append('x-a', value), { code: 'FST_RESPONSES_INVALID_HEADER' })
  }
  t.equal(new ResponseHeaders({ 'x-a': 'tab\tand latin-1 é' }).get('x-a'), 'tab\tand latin-1 é', 'tab and Latin-1 are allowed')
  t.throws(() => new Response('x', { mediaType: 'text/html\r\nx-evil: 1' }), { code: 'FST_RESPONSES_INVALID_HEADER', message: /"content-type"/ }, 'a media type is a header value too')
})

t.test('a content type that is not type/subtype is an error with a code, not a header Fastify replaces with its default', async (t) => {
  for (const mediaType of ['%', 'text', 'x y', 'text/', '/plain', 'text/pl ain', 'é', '']) {
    t.throws(() => new Response('x', { mediaType }), { code: 'FST_RESPONSES_INVALID_HEADER', message: /"content-type": a media type must be type\/subtype/ }, JSON.stringify(mediaType))
    t.throws(() => new ResponseHeaders({ 'Content-Type': mediaType }), { code: 'FST_RESPONSES_INVALID_HEADER' }, `${JSON.stringify(mediaType)} as a header`)
  }
  for (const mediaType of ['text/csv', 'Application/X-Msgpack; version=2', 'text/plain;charset=latin1', 'application/vnd.api+json', ' image/png ']) {
    t.equal(new Response('x', { mediaType }).mediaType, mediaType, `${JSON.stringify(mediaType)} is a media type`)
  }
  const app = await startApp(t, (app) => {
    app.get('/bad', (request, reply) => reply.response('x', { mediaType: request.query.type }))
  })
  const res = await request(app, '/bad?type=%25')
  t.equal(res.status, 500, 'sent by a decorator: an error response')
  t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_INVALID_HEADER')
  const { head } = await rawRequest(app, 'GET /bad?type=application/x-thing HTTP/1.1')
  t.match(head.toString('latin1'), /\r\ncontent-type: application\/x-thing\r\n/, 'a media type reaches the wire as given')
})

t.test('a name that is not an HTTP token is an error with a code', async (t) => {
  t.equal(new ResponseHeaders({ 'X_Under-score.1': 'v' }).get('x_under-score.1'), 'v', 'every token character is allowed')
  for (const name of ['x a', 'x:a', 'x\r\na', 'x\0', '', 'é', 'x(a)']) {
    t.throws(() => new ResponseHeaders({ [name]: 'v' }), { code: 'FST_RESPONSES_INVALID_HEADER' }, JSON.stringify(name))
  }
  t.throws(() => new ResponseHeaders([[42, 'v']]), { code: 'FST_RESPONSES_INVALID_HEADER' })
  t.throws(() => new Response('x', { headers: { 'bad name': 'v' } }), { code: 'FST_RESPONSES_INVALID_HEADER', message: /"bad name"/ })
})

t.test('a bad header set on an instance fails the request cleanly; the server keeps serving', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/bad', () => {
      const response = new Response('x')
      response.headers.set('x-a', 'b\r\nset-cookie: evil=1')
      return response
    })
    app.get('/bad-async', async (request, reply) => reply.response('x', { headers: { location: '/a\n' } }))
    app.get('/ok', () => new Response('ok'))
  })
  for (const path of ['/bad', '/bad-async']) {
    const res = await request(app, path)
    t.equal(res.status, 500, path)
    t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_INVALID_HEADER', path)
    t.notOk('set-cookie' in res.headers, path)
    t.notOk('location' in res.headers, path)
  }
  t.equal((await request(app, '/ok')).text, 'ok')
})

t.test('Latin-1 header values reach the wire as Latin-1 bytes, whatever the body is', async (t) => {
  const headers = { 'x-latin': 'café' }
  const app = await startApp(t, (app) => {
    app.get('/text', () => new HTMLResponse('<p>café</p>', { headers }))
    app.get('/bytes', () => new HTMLResponse(Buffer.from('<p>café</p>'), { headers }))
    app.get('/no-type', () => new Response('café', { headers }))
    app.get('/empty', () => new Response(null, { headers }))
    app.get('/repeated', () => {
      const response = new Response('café')
      response.headers.append('x-latin', 'a').append('x-latin', 'é')
      return response
    })
  })
  const latin1 = (text) => Buffer.from(text, 'latin1')
  for (const path of ['/text', '/bytes']) {
    const res = await rawRequest(app, `GET ${path} HTTP/1.1`)
    t.ok(res.head.includes(latin1('\r\nx-latin: caf\xe9\r\n')), `${path}: é as one byte`)
    t.ok(res.head.includes(latin1('\r\ncontent-type: text/html; charset=utf-8\r\n')), path)
    t.same(res.body, Buffer.from('<p>café</p>'), `${path}: the body in UTF-8`)
  }
  const noType = await rawRequest(app, 'GET /no-type HTTP/1.1')
  t.ok(noType.head.includes(latin1('\r\nx-latin: caf\xe9\r\n')))
  t.ok(noType.head.includes(latin1('\r\ncontent-type: text/plain; charset=utf-8\r\n')), "text keeps Fastify's type when sent as bytes")
  t.same(noType.body, Buffer.from('café'))
  t.ok((await rawRequest(app, 'GET /empty HTTP/1.1')).head.includes(latin1('\r\nx-latin: caf\xe9\r\n')))
  const repeated = await rawRequest(app, 'GET /repeated HTTP/1.1')
  t.ok(repeated.head.includes(latin1('\r\nx-latin: a\r\nx-latin: \xe9\r\n')), 'a repeated header, one of its values Latin-1')
  t.same(repeated.body, Buffer.from('café'))
  t.equal((await request(app, '/text')).headers['x-latin'], 'café', "Node's client reads the header as Latin-1")
})
