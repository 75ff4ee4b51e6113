'use strict'
// setCookie / deleteCookie: Starlette's defaults and attributes, one set-cookie line each,
// the validations, and @fastify/cookie registered side by side.
const t = require('tap')
const Fastify = require('fastify')
const fastifyCookie = require('@fastify/cookie')
const fastifyResponses = require('fastify-responses')
const { startApp, request, rawRequest } = require('./helpers')
const { Response, JSONResponse, RedirectResponse, errors } = fastifyResponses

t.test('defaults: path /, SameSite=Lax, nothing else (Starlette set_cookie defaults)', async (t) => {
  t.same(new Response().setCookie('mycookie').headers.getAll('set-cookie'), ['mycookie=; Path=/; SameSite=Lax'])
  t.same(new Response().setCookie('mycookie', 'myvalue').headers.getAll('set-cookie'), ['mycookie=myvalue; Path=/; SameSite=Lax'])
})

t.test('every attribute (Starlette test_set_cookie)', async (t) => {
  const now = Date.now()
  const cookie = new Response().setCookie('mycookie', 'myvalue', {
    maxAge: 10,
    expires: 10,
    path: '/',
    domain: 'localhost',
    secure: true,
    httpOnly: true,
    sameSite: 'none',
    partitioned: true,
    priority: 'high'
  }).headers.get('set-cookie')
  const expires = /Expires=([^;]+)/.exec(cookie)[1]
  t.ok(Math.abs(Date.parse(expires) - (now + 10000)) <= 2000, 'expires: a number is seconds from now')
  t.equal(cookie, `mycookie=myvalue; Max-Age=10; Domain=localhost; Path=/; Expires=${expires}; HttpOnly; Secure; Partitioned; Priority=High; SameSite=None`)
})

t.test('expires takes a Date, a number of seconds or a date string (Starlette test_expires_on_set_cookie)', async (t) => {
  const date = new Date('2037-01-22T12:00:10Z')
  const header = (expires) => new Response().setCookie('a', 'b', { expires }).headers.get('set-cookie')
  t.match(header(date), /; Expires=Thu, 22 Jan 2037 12:00:10 GMT;/)
  t.match(header('Thu, 22 Jan 2037 12:00:10 GMT'), /; Expires=Thu, 22 Jan 2037 12:00:10 GMT;/)
  t.match(header(0), /; Expires=/)
  t.throws(() => header('not a date'), { code: 'FST_RESPONSES_INVALID_COOKIE', message: /expires/ })
  t.throws(() => header(new Date(NaN)), { code: 'FST_RESPONSES_INVALID_COOKIE' })
})

t.test('path null sends no Path; sameSite null sends no SameSite (Starlette path=None, samesite=None)', async (t) => {
  t.same(new Response().setCookie('a', 'b', { path: null, sameSite: null }).headers.getAll('set-cookie'), ['a=b'])
  t.same(new Response().setCookie('a', 'b', { sameSite: 'Strict' }).headers.getAll('set-cookie'), ['a=b; Path=/; SameSite=Strict'])
})

t.test('values a cookie cannot carry are percent-encoded so parsers decode them back', async (t) => {
  const value = (v) => /^a=([^;]*)/.exec(new Response().setCookie('a', v).headers.get('set-cookie'))[1]
  t.equal(value('hello world'), 'hello%20world')
  t.equal(value('café ♥'), 'caf%C3%A9%20%E2%99%A5')
  t.equal(value('100%'), '100%25', '% is encoded so the value round-trips')
  t.equal(value('a,b'), 'a%2Cb', 'not a cookie-octet: ,')
  t.equal(value('a"b"'), 'a%22b%22', 'not a cookie-octet: "')
  t.equal(value('a\\b'), 'a%5Cb', 'not a cookie-octet: \\')
  t.equal(value("a=b&c/d:e!#$'()*+-.<>?@[]^_`{|}~"), "a=b&c/d:e!#$'()*+-.<>?@[]^_`{|}~", 'every cookie-octet is kept')
  for (const v of ['hello world', 'café ♥', '100%', '%41', 'x=y', '"quoted"', 'a,b\\c']) t.equal(decodeURIComponent(value(v)), v, `round trip ${JSON.stringify(v)}`)
})

t.test('set-cookie lines carry only cookie-octets, and @fastify/cookie reads back exactly what was set', async (t) => {
  const values = ['a,b', 'a"b', '"quoted"', 'back\\slash', 'café ♥', '100%', 'x=y not an attribute', '']
  const app = await startApp(t, async (app) => {
    await app.register(fastifyCookie)
    app.get('/set', () => values.reduce((response, value, i) => response.setCookie(`c${i}`, value), new Response('set')))
    app.get('/read', (request) => new JSONResponse(request.cookies))
  })
  const set = await rawRequest(app, 'GET /set HTTP/1.1')
  const lines = set.head.toString('latin1').split('\r\n').filter((line) => line.startsWith('set-cookie: ')).map((line) => line.slice(12))
  t.same(lines, [
    'c0=a%2Cb; Path=/; SameSite=Lax',
    'c1=a%22b; Path=/; SameSite=Lax',
    'c2=%22quoted%22; Path=/; SameSite=Lax',
    'c3=back%5Cslash; Path=/; SameSite=Lax',
    'c4=caf%C3%A9%20%E2%99%A5; Path=/; SameSite=Lax',
    'c5=100%25; Path=/; SameSite=Lax',
    'c6=x=y%20not%20an%20attribute; Path=/; SameSite=Lax',
    'c7=; Path=/; SameSite=Lax'
  ])
  const cookie = lines.map((line) => line.slice(0, line.indexOf(';'))).join('; ')
  const read = await request(app, '/read', { headers: { cookie } })
  t.same(JSON.parse(read.text), Object.fromEntries(values.map((value, i) => [`c${i}`, value])))
})

t.test('invalid cookies are errors with a code', async (t) => {
  const bad = [
    ['a name that is not a token', ['my cookie', 'v']],
    ['a name with =', ['a=b', 'v']],
    ['a name with a control character', ['a\r\nb', 'v']],
    ['an empty name', ['', 'v']],
    ['a name that is not a string', [42, 'v']],
    ['a value with ;', ['a', 'b;c']],
    ['a value with CR LF', ['a', 'b\r\nSet-Cookie: evil=1']],
    ['a value with NUL', ['a', 'b\0']],
    ['a value with DEL', ['a', 'b\x7f']],
    ['a value that is not a string', ['a', 42]],
    ['a value with a lone surrogate', ['a', '\ud800']],
    ['an invalid sameSite', ['a', 'b', { sameSite: 'sometimes' }]],
    ['sameSite none without secure', ['a', 'b', { sameSite: 'none' }]],
    ['partitioned without secure', ['a', 'b', { partitioned: true }]],
    ['__Secure- without secure', ['__Secure-a', 'b']],
    ['__Host- without secure', ['__Host-a', 'b']],
    ['__Host- with a domain', ['__Host-a', 'b', { secure: true, domain: 'example.com' }]],
    ['__Host- with another path', ['__Host-a', 'b', { secure: true, path: '/app' }]],
    ['a non-integer maxAge', ['a', 'b', { maxAge: 1.5 }]],
    ['an invalid domain', ['a', 'b', { domain: 'exa mple.com' }]],
    ['a path with ;', ['a', 'b', { path: '/a;b' }]],
    ['an invalid priority', ['a', 'b', { priority: 'urgent' }]],
    ['an unknown option', ['a', 'b', { signed: true }]],
    ['a misspelt option', ['a', 'b', { maxage: 60 }]]
  ]
  for (const [name, args] of bad) {
    const err = t.throws(() => new Response().setCookie(...args), name)
    t.equal(err.code, 'FST_RESPONSES_INVALID_COOKIE', name)
    t.ok(err instanceof errors.FST_RESPONSES_INVALID_COOKIE, name)
  }
  t.same(new Response().setCookie('__Secure-a', 'b', { secure: true }).headers.getAll('set-cookie'), ['__Secure-a=b; Path=/; Secure; SameSite=Lax'])
  t.same(new Response().setCookie('__Host-a', 'b', { secure: true }).headers.getAll('set-cookie'), ['__Host-a=b; Path=/; Secure; SameSite=Lax'])
})

t.test('an unknown cookie option is refused, not dropped: signing is @fastify/cookie\'s', async (t) => {
  t.throws(() => new Response().setCookie('a', 'b', { signed: true }), { code: 'FST_RESPONSES_INVALID_COOKIE', message: 'Invalid cookie: unknown option "signed"' })
  t.throws(() => new Response().deleteCookie('a', { signed: true }), { code: 'FST_RESPONSES_INVALID_COOKIE', message: /unknown option "signed"/ })
  const app = await startApp(t, async (app) => {
    await app.register(fastifyCookie, { secret: 'a secret of at least thirty-two chars' })
    app.get('/unsigned', () => new Response('x').setCookie('session', 'id', { signed: true }))
    app.get('/signed', (request, reply) => new Response('x').setCookie('session', reply.signCookie('id')))
    app.get('/read', (request) => new JSONResponse(request.unsignCookie(request.cookies.session)))
  })
  const unsigned = await request(app, '/unsigned')
  t.equal(unsigned.status, 500)
  t.equal(JSON.parse(unsigned.text).code, 'FST_RESPONSES_INVALID_COOKIE')
  t.notOk('set-cookie' in unsigned.headers)
  const [line] = (await request(app, '/signed')).headers['set-cookie']
  t.match(line, /^session=id\.[A-Za-z0-9+/]+; Path=\/; SameSite=Lax$/)
  const read = await request(app, '/read', { headers: { cookie: line.slice(0, line.indexOf(';')) } })
  t.same(JSON.parse(read.text), { valid: true, renew: false, value: 'id' })
})

t.test('deleteCookie sends the same cookie empty and expired (Starlette test_delete_cookie)', async (t) => {
  t.same(new Response().deleteCookie('mycookie').headers.getAll('set-cookie'),
    ['mycookie=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax'])
  t.same(new Response().deleteCookie('mycookie', { path: '/app', domain: 'example.com', secure: true, httpOnly: true, sameSite: 'strict' }).headers.getAll('set-cookie'),
    ['mycookie=; Max-Age=0; Domain=example.com; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict'])
  t.throws(() => new Response().deleteCookie('bad name'), { code: 'FST_RESPONSES_INVALID_COOKIE' })
})

t.test('several cookies arrive as several set-cookie lines', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', () => new JSONResponse({ ok: true })
      .setCookie('a', '1')
      .setCookie('b', 'two words', { httpOnly: true })
      .deleteCookie('old'))
    app.get('/redirect', (request, reply) => reply.sendResponse(new RedirectResponse('/').setCookie('flash', 'saved')))
  })
  const res = await request(app, '/')
  const lines = []
  for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i].toLowerCase() === 'set-cookie') lines.push(res.rawHeaders[i + 1])
  t.same(lines, [
    'a=1; Path=/; SameSite=Lax',
    'b=two%20words; Path=/; HttpOnly; SameSite=Lax',
    'old=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax'
  ])
  t.same((await request(app, '/redirect')).headers['set-cookie'], ['flash=saved; Path=/; SameSite=Lax'])
})

t.test('a cookie set then deleted in a client (Starlette test_set_cookie / test_delete_cookie)', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/set', () => new Response('set').setCookie('mycookie', 'my value'))
    app.get('/delete', () => new Response('deleted').deleteCookie('mycookie'))
  })
  const jar = new Map()
  const remember = (res) => {
    for (const line of res.headers['set-cookie'] ?? []) {
      const [pair, ...attributes] = line.split('; ')
      const [name, value] = pair.split('=')
      if (attributes.includes('Max-Age=0')) jar.delete(name)
      else jar.set(name, decodeURIComponent(value))
    }
  }
  remember(await request(app, '/set'))
  t.equal(jar.get('mycookie'), 'my value')
  remember(await request(app, '/delete'))
  t.notOk(jar.has('mycookie'))
})

t.test('side by side with @fastify/cookie: no decorator clash, both plugins cookies arrive', async (t) => {
  for (const order of ['cookie first', 'responses first']) {
    const app = Fastify()
    if (order === 'cookie first') {
      await app.register(fastifyCookie)
      await app.register(fastifyResponses)
    } else {
      await app.register(fastifyResponses)
      await app.register(fastifyCookie)
    }
    const shared = new Response('shared').setCookie('ours', '1')
    app.get('/', (request, reply) => {
      reply.setCookie('theirs', 'a b')
      return shared
    })
    app.get('/decorator', async (request, reply) => {
      reply.setCookie('theirs', '2')
      return reply.response('x')
    })
    app.get('/read', (request) => new JSONResponse(request.cookies))
    await app.listen({ port: 0, host: '127.0.0.1' })
    app.baseUrl = `http://127.0.0.1:${app.server.address().port}`

    for (let i = 0; i < 2; i++) {
      const res = await request(app, '/')
      t.same(res.headers['set-cookie'], ['theirs=a%20b; SameSite=Lax', 'ours=1; Path=/; SameSite=Lax'], `${order}: both cookies, the response's last, request ${i + 1}`)
    }
    t.same(shared.headers.getAll('set-cookie'), ['ours=1; Path=/; SameSite=Lax'], `${order}: the instance was not changed by sending`)
    const decorator = await request(app, '/decorator')
    t.same(decorator.headers['set-cookie'], ['theirs=2; SameSite=Lax'])
    const read = await request(app, '/read', { headers: { cookie: 'ours=caf%C3%A9%20%E2%99%A5; n=100%25' } })
    t.same(JSON.parse(read.text), { ours: 'café ♥', n: '100%' }, `${order}: @fastify/cookie decodes our encoding`)
    await app.close()
  }
})

t.test('an invalid cookie in a handler fails the request cleanly and the server keeps serving', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/bad', (request) => new Response('x').setCookie('a', request.query.v))
    app.get('/ok', () => new Response('ok'))
  })
  const res = await request(app, '/bad?v=' + encodeURIComponent('x;admin=1'))
  t.equal(res.status, 500)
  t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_INVALID_COOKIE')
  t.notOk('set-cookie' in res.headers)
  t.equal((await request(app, '/ok')).text, 'ok')
})
