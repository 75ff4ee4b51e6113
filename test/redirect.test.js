'use strict'
// RedirectResponse: Starlette's 307, empty body, quoted Location; the open-redirect guard.
const t = require('tap')
const { startApp, request } = require('./helpers')
const { RedirectResponse, BackgroundTask } = require('fastify-responses')

t.test('redirect response (Starlette test_redirect_response)', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/redirect', () => new RedirectResponse('/'))
    app.get('/', () => 'hello, world')
  })
  const res = await request(app, '/redirect')
  t.equal(res.status, 307, 'default status 307')
  t.equal(res.headers.location, '/')
  t.equal(res.body.length, 0)
  t.notOk('content-type' in res.headers, 'an empty body has no content type')
})

t.test('quoting redirect response (Starlette test_quoting_redirect_response)', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.redirectResponse('/I ♥ Starlette/'))
    app.get('/url', () => new RedirectResponse(new URL('https://example.com/a b/')))
  })
  t.equal((await request(app, '/')).headers.location, '/I%20%E2%99%A5%20Starlette/')
  t.equal((await request(app, '/url')).headers.location, 'https://example.com/a%20b/', 'a URL object is taken as its href')
})

t.test('redirect content-length is 0 (Starlette test_redirect_response_content_length_header)', async (t) => {
  const app = await startApp(t, (app) => { app.get('/', () => new RedirectResponse('/there')) })
  for (const method of ['GET', 'HEAD']) {
    const res = await request(app, '/', { method })
    t.equal(res.headers['content-length'], '0', method)
    t.equal(res.body.length, 0, method)
  }
})

t.test('CR and LF in a redirect URL cannot inject a header', async (t) => {
  const app = await startApp(t, (app) => { app.get('/', () => new RedirectResponse('/next\r\nset-cookie: evil=1')) })
  const res = await request(app, '/')
  t.equal(res.headers.location, '/next%0D%0Aset-cookie:%20evil=1')
  t.notOk('set-cookie' in res.headers)
})

t.test('any 3xx status, headers and background are accepted', async (t) => {
  let ran = false
  const app = await startApp(t, (app) => {
    for (const status of [300, 301, 302, 303, 304, 308, 399]) {
      app.get('/' + status, () => new RedirectResponse('/x', { statusCode: status, headers: { 'cache-control': 'no-store' } }))
    }
    app.get('/task', () => new RedirectResponse('/x', { background: new BackgroundTask(() => { ran = true }) }))
  })
  for (const status of [300, 301, 302, 303, 308, 399]) {
    const res = await request(app, '/' + status)
    t.equal(res.status, status)
    t.equal(res.headers.location, '/x')
    t.equal(res.headers['cache-control'], 'no-store')
  }
  const notModified = await request(app, '/304')
  t.equal(notModified.status, 304)
  t.notOk('content-length' in notModified.headers)
  await request(app, '/task')
  await app.close()
  t.equal(ran, true)
})

t.test('a status outside 300-399 is refused at construction with a code', async (t) => {
  for (const statusCode of [200, 299, 400, 500, 307.5, '307']) {
    t.throws(() => new RedirectResponse('/', { statusCode }), { code: 'FST_RESPONSES_INVALID_STATUS', message: /RedirectResponse/ }, String(statusCode))
  }
  const app = await startApp(t, (app) => {
    app.get('/bad', async (request, reply) => reply.redirectResponse('/', { statusCode: 200 }))
    app.get('/ok', () => new RedirectResponse('/'))
  })
  const res = await request(app, '/bad')
  t.equal(res.status, 500)
  t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_INVALID_STATUS')
  t.notOk('location' in res.headers)
  t.equal((await request(app, '/ok')).status, 307)
})

t.test('without the guard, any target is sent', async (t) => {
  const app = await startApp(t, (app) => { app.get('/', () => new RedirectResponse('https://elsewhere.example/')) })
  t.equal((await request(app, '/')).headers.location, 'https://elsewhere.example/')
})

t.test('open-redirect guard: same origin and allowed origins pass, others get a 400 with a code', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/go', { responseClass: RedirectResponse }, (request) => request.query.to)
    app.get('/decorator', (request, reply) => reply.redirectResponse(request.query.to))
  }, { pluginOptions: { redirect: { allowedOrigins: ['https://trusted.example'] } } })
  const port = app.server.address().port
  const allowed = ['/home', 'relative/path', `http://127.0.0.1:${port}/x`, 'https://trusted.example/login?next=/']
  for (const to of allowed) {
    for (const path of ['/go', '/decorator']) {
      const res = await request(app, `${path}?to=${encodeURIComponent(to)}`)
      t.equal(res.status, 307, `${path} ${to}`)
    }
  }
  const refused = ['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)', 'data:text/html,x', 'http://trusted.example/']
  for (const to of refused) {
    for (const path of ['/go', '/decorator']) {
      const res = await request(app, `${path}?to=${encodeURIComponent(to)}`)
      t.equal(res.status, 400, `${path} ${to}`)
      t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_REDIRECT_NOT_ALLOWED', `${path} ${to}`)
      t.notOk('location' in res.headers, `${path} ${to}: no location`)
    }
  }
  t.equal((await request(app, '/go?to=/still-serving')).status, 307)
})

t.test('open-redirect guard with no allowed origins keeps redirects on the request origin', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', (request) => new RedirectResponse(request.query.to))
  }, { pluginOptions: { redirect: {} } })
  t.equal((await request(app, '/?to=/inside')).status, 307)
  t.equal((await request(app, '/?to=' + encodeURIComponent('https://trusted.example/'))).status, 400)
  const otherHost = await request(app, '/?to=' + encodeURIComponent('http://other.example/'), { headers: { host: 'other.example' } })
  t.equal(otherHost.status, 307, 'the origin is the one the request was made to')
})
