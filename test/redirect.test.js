'use strict'
// RedirectResponse: Starlette's 307, empty body, quoted Location; the open-redirect guard, as
// browsers on http and https pages read the Location.
const t = require('tap')
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')
const { startApp, request } = require('./helpers')
const { RedirectResponse, BackgroundTask } = fastifyResponses

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

/** An app behind a TLS-terminating proxy without trustProxy: the browser is on https, the request arrives on http. */
async function proxiedApp (t, redirect) {
  return startApp(t, (app) => {
    app.get('/r', (request, reply) => reply.redirectResponse(request.query.to))
  }, { pluginOptions: { redirect } })
}

const redirectTo = (app, to, host = 'app.example.com') => request(app, '/r?to=' + encodeURIComponent(to), { headers: { host } })

t.test('a target with a scheme is judged as an https page reads it, whatever scheme the request came on', async (t) => {
  const app = await proxiedApp(t, { allowedOrigins: ['https://ok.example.com'] })
  // On https://app.example.com/r each of these, or its decoded form, leaves for evil.com (or runs a script).
  const refused = [
    'http:evil.com', 'HTTP:evil.com', 'http:/evil.com', 'http:\\evil.com', 'https://ok.example.com@evil.com/',
    'ht\ttp:evil.com', 'http\n:evil.com', 'java\r\nscript:alert(1)', '\t//evil.com', '/\t/evil.com', '\\\\evil.com',
    'http://ｅｖｉｌ.com/', 'mailto:a@evil.com'
  ]
  for (const to of refused) {
    const res = await redirectTo(app, to)
    t.equal(res.status, 400, JSON.stringify(to))
    t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_REDIRECT_NOT_ALLOWED', JSON.stringify(to))
    t.notOk('location' in res.headers, `${JSON.stringify(to)}: no location`)
  }
  // A path on either page; on an http page, the allowed origin.
  for (const to of ['/home', 'next', 'https:ok.example.com', 'https://ok.example.com/login', 'http://app.example.com/x']) {
    t.equal((await redirectTo(app, to)).status, 307, JSON.stringify(to))
  }
})

t.test('same-origin targets pass whatever the case or default port of the Host, and under inject', async (t) => {
  const app = await proxiedApp(t, {})
  for (const host of ['APP.EXAMPLE.COM', 'App.Example.Com', 'app.example.com:80']) {
    for (const to of ['/home', 'relative', 'http://app.example.com/x', 'http://APP.example.com:80/x']) {
      const res = await redirectTo(app, to, host)
      t.equal(res.status, 307, `${host} ${to}`)
      t.equal(res.headers.location, to, `${host} ${to}`)
    }
    t.equal((await redirectTo(app, 'http://app.example.com:8080/', host)).status, 400, `${host}: another port is another origin`)
  }
  const injected = await app.inject('/r?to=/home')
  t.equal(injected.statusCode, 307, 'inject (host localhost:80)')
  t.equal(injected.headers.location, '/home')
  t.equal((await app.inject('/r?to=http://localhost/x')).statusCode, 307)
  t.equal((await redirectTo(app, '/home', 'a b')).status, 400, 'a Host no origin can be built from leaves nothing to judge against')
})

t.test('with redirect.origins, the Host header no longer decides what the app\'s origin is', async (t) => {
  const app = await proxiedApp(t, { origins: ['https://APP.example.com:443'], allowedOrigins: ['https://ok.example.com'] })
  for (const host of ['evil.com', 'app.example.com']) {
    for (const to of ['http://evil.com/', 'https://evil.com/', '//evil.com/', 'http://app.example.com/x']) {
      t.equal((await redirectTo(app, to, host)).status, 400, `Host ${host}: ${to}`)
    }
    for (const to of ['/home', '//app.example.com/x', 'https://app.example.com/x', 'https://ok.example.com/']) {
      t.equal((await redirectTo(app, to, host)).status, 307, `Host ${host}: ${to}`)
    }
  }
  const several = await proxiedApp(t, { origins: ['https://app.example.com', 'https://www.example.com'] })
  t.equal((await redirectTo(several, 'https://www.example.com/')).status, 307, 'each listed origin is the app\'s own')
  t.equal((await redirectTo(several, '/home', 'evil.com')).status, 307)
})

t.test('redirect options are checked at registration', async (t) => {
  const invalid = [
    [{ origins: 'https://app.example.com' }, /redirect.origins must be an array/],
    [{ origins: [] }, /redirect.origins must name at least one origin/],
    [{ origins: ['app.example.com'] }, /redirect.origins: "app.example.com" is not an origin/],
    [{ origins: ['https://app.example.com/path'] }, /is not an origin/],
    [{ allowedOrigins: ['ftp://files.example.com'] }, /redirect.allowedOrigins: "ftp:\/\/files.example.com" is not an origin/],
    [{ allowedOrigin: ['https://ok.example.com'] }, /unknown option "redirect.allowedOrigin"/]
  ]
  for (const [redirect, message] of invalid) {
    const app = Fastify()
    await t.rejects(async () => { await app.register(fastifyResponses, { redirect }) }, { code: 'FST_RESPONSES_INVALID_OPTION', message }, JSON.stringify(redirect))
    await app.close()
  }
})
