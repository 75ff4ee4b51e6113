'use strict'
// Plugin options: each one works, and anything unknown or invalid fails at registration.
const t = require('tap')
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')
const { startApp, request } = require('./helpers')
const { Response, HTMLResponse, JSONResponse, errors } = fastifyResponses

async function registerWith (options) {
  const app = Fastify()
  try {
    await app.register(fastifyResponses, options)
  } finally {
    await app.close()
  }
}

t.test('invalid options fail at registration with a code', async (t) => {
  const invalid = [
    ['an unknown option', { nope: true }, /unknown option "nope"/],
    ['a defaultResponseClass that is not a Response subclass', { defaultResponseClass: class Other {} }, /defaultResponseClass/],
    ['a defaultResponseClass that is an instance', { defaultResponseClass: new HTMLResponse('x') }, /defaultResponseClass/],
    ['serializers that are not an object', { serializers: 'json' }, /serializers/],
    ['serializers null', { serializers: null }, /serializers/],
    ['a serializer that is not a function', { serializers: { 'application/x-a': 'nope' } }, /application\/x-a/],
    ['a serializer for an empty media type', { serializers: { ' ': () => '' } }, /media type/],
    ['redirect null', { redirect: null }, /redirect/],
    ['redirect not an object', { redirect: 'https://example.com' }, /redirect/],
    ['allowedOrigins not an array', { redirect: { allowedOrigins: 'https://example.com' } }, /redirect/],
    ['an allowed origin that is not a URL', { redirect: { allowedOrigins: ['example.com'] } }, /"example.com"/],
    ['an allowed origin with a path', { redirect: { allowedOrigins: ['https://example.com/app'] } }, /is not an origin/],
    ['an allowed origin that is opaque', { redirect: { allowedOrigins: ['data:text/plain,x'] } }, /is not an origin/],
    ['an allowed origin that is not a string', { redirect: { allowedOrigins: [42] } }, /42/],
    ...[-1, NaN, Infinity, '100', null, 2 ** 31].map((closeTimeout) => [`closeTimeout ${closeTimeout}`, { closeTimeout }, /closeTimeout must be a number of milliseconds/])
  ]
  for (const [name, options, message] of invalid) {
    const err = await t.rejects(registerWith(options), { code: 'FST_RESPONSES_INVALID_OPTION', message }, name)
    t.ok(err instanceof errors.FST_RESPONSES_INVALID_OPTION, name)
  }
})

t.test("valid options and Fastify's own register options are accepted", async (t) => {
  await t.resolves(registerWith(undefined))
  await t.resolves(registerWith({}))
  await t.resolves(registerWith({ prefix: '/p', logLevel: 'warn', logSerializers: {} }))
  await t.resolves(registerWith({ defaultResponseClass: Response }))
  await t.resolves(registerWith({ redirect: { allowedOrigins: ['https://example.com', 'http://localhost:3000/'] } }))
  await t.resolves(registerWith({ closeTimeout: 0 }))
  await t.resolves(registerWith({ closeTimeout: 2500 }))
})

t.test('closeTimeout is the whole app\'s: a descendant registration cannot set its own', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifyResponses, { closeTimeout: 100 })
  await t.rejects(app.register(async (scope) => { await scope.register(fastifyResponses, { closeTimeout: 10 }) }).ready(), {
    code: 'FST_RESPONSES_INVALID_OPTION', message: /closeTimeout applies to the whole app/
  })
})

t.test('serializers render content by media type; parameters are ignored', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/csv', () => new Response([['a', 1], ['b', 2]], { mediaType: 'text/csv' }))
    app.get('/params', () => new Response([['x', 0]], { mediaType: 'Text/CSV; header=present' }))
    app.get('/bytes', () => new Response({ n: 3 }, { mediaType: 'application/x-bytes' }))
  }, {
    pluginOptions: {
      serializers: {
        'text/csv': (rows) => rows.map((row) => row.join(',')).join('\n'),
        'application/x-bytes': ({ n }) => new Uint8Array(n)
      }
    }
  })
  const csv = await request(app, '/csv')
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(csv.text, 'a,1\nb,2')
  t.equal((await request(app, '/params')).text, 'x,0')
  const bytes = await request(app, '/bytes')
  t.same([...bytes.body], [0, 0, 0])
  t.equal(bytes.headers['content-type'], 'application/x-bytes')
})

t.test('app.responses.registerSerializer adds or replaces a serializer, JSON included, for this app only', async (t) => {
  const app = await startApp(t, (app) => {
    app.responses.registerSerializer('application/json', (content) => JSON.stringify(content, null, 2))
    app.responses.registerSerializer('text/x-upper', (content) => String(content.text).toUpperCase())
    app.get('/json', () => new JSONResponse({ a: 1 }))
    app.get('/upper', () => new Response({ text: 'shout' }, { mediaType: 'text/x-upper' }))
  })
  t.equal((await request(app, '/json')).text, '{\n  "a": 1\n}')
  t.equal((await request(app, '/upper')).text, 'SHOUT')
  t.throws(() => app.responses.registerSerializer('text/x-a', 'nope'), { code: 'FST_RESPONSES_INVALID_OPTION' })
  t.throws(() => app.responses.registerSerializer('', () => ''), { code: 'FST_RESPONSES_INVALID_OPTION' })
  const other = await startApp(t, (app) => { app.get('/json', () => new JSONResponse({ a: 1 })) })
  t.equal((await request(other, '/json')).text, '{"a":1}', 'another app keeps the standard serializer')
  t.equal(new JSONResponse({ a: 1 }).body.toString(), '{"a":1}', 'outside of an app, body uses the standard serializer')
})

t.test('a serializer that throws gives a 500 with its error; the server keeps serving', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/bad', () => new Response({}, { mediaType: 'text/x-broken' }))
    app.get('/ok', () => new Response('ok'))
  }, { pluginOptions: { serializers: { 'text/x-broken': () => { throw new errors.FST_RESPONSES_SERIALIZATION('broken on purpose') } } } })
  const res = await request(app, '/bad')
  t.equal(res.status, 500)
  t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_SERIALIZATION')
  t.equal((await request(app, '/ok')).text, 'ok')
})

t.test('errors: every code is exported, with @fastify/error conventions', async (t) => {
  const codes = Object.keys(errors)
  t.ok(codes.length > 0)
  for (const code of codes) {
    t.match(code, /^FST_RESPONSES_[A-Z_]+$/)
    const err = new errors[code]('a', 'b')
    t.equal(err.code, code)
    t.type(err.statusCode, 'number')
    t.ok(err instanceof Error)
  }
  t.equal(new errors.FST_RESPONSES_REDIRECT_NOT_ALLOWED().statusCode, 400)
  t.equal(new errors.FST_RESPONSES_INVALID_STATUS('Response', 42).message, 'Invalid status code for Response: 42')
})
