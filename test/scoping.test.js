'use strict'
// Encapsulation: options apply to the context that registered the plugin and its descendants, a
// descendant's own registration wins for its routes, a route opts out with `responseClass: false`,
// twice in one context is a catchable registration error, and a default class leaves alone what
// Fastify sends natively and what the class cannot render (third-party routes keep working).
const t = require('tap')
const fs = require('node:fs')
const { Readable } = require('node:stream')
const Fastify = require('fastify')
const fp = require('fastify-plugin')
const fastifyResponses = require('fastify-responses')
const { startApp, request } = require('./helpers')
const { until } = require('./stream-client')
const { Response, HTMLResponse, PlainTextResponse, JSONResponse, ORJSONResponse, UJSONResponse, RedirectResponse, errors } = fastifyResponses

async function listen (t, app) {
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  app.baseUrl = `http://127.0.0.1:${app.server.address().port}`
  return app
}

t.test("a descendant's registration sets the options of its routes; the others inherit the parent's", async (t) => {
  const app = Fastify()
  await app.register(fastifyResponses, {
    defaultResponseClass: HTMLResponse,
    serializers: { 'text/csv': (rows) => rows.join(',') },
    redirect: { allowedOrigins: [] }
  })
  app.get('/parent', () => '<p>parent</p>')
  app.register(async (child) => {
    await child.register(fastifyResponses, { defaultResponseClass: JSONResponse, serializers: { 'text/tsv': (rows) => rows.join('\t') } })
    child.get('/child', () => ({ child: true }))
    child.get('/csv', () => new Response(['a', 'b'], { mediaType: 'text/csv' }))
    child.get('/tsv', () => new Response(['a', 'b'], { mediaType: 'text/tsv' }))
    child.get('/away', (request, reply) => reply.redirectResponse('https://elsewhere.example/'))
    child.register(async (grandchild) => {
      grandchild.get('/grandchild', () => ({ grandchild: true }))
    })
    child.register(async (cached) => {
      await cached.register(fastifyResponses, { file: { maxAge: 60 } })
      cached.get('/cached/object', () => ({ cached: true }))
      cached.get('/cached/file', (request, reply) => reply.fileResponse(__filename))
      cached.get('/cached/csv', () => new Response(['c', 'd'], { mediaType: 'text/csv' }))
    })
  })
  app.get('/parent-tsv', () => new Response(['a', 'b'], { mediaType: 'text/tsv' }))
  await listen(t, app)

  const parent = await request(app, '/parent')
  t.equal(parent.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(parent.text, '<p>parent</p>')
  const child = await request(app, '/child')
  t.equal(child.status, 200)
  t.equal(child.headers['content-type'], 'application/json', "the child's default class")
  t.equal(child.text, '{"child":true}')
  const grandchild = await request(app, '/grandchild')
  t.equal(grandchild.headers['content-type'], 'application/json', 'a grandchild inherits its nearest registration')
  t.equal(grandchild.text, '{"grandchild":true}')
  t.equal((await request(app, '/csv')).text, 'a,b', "the parent's serializers are inherited")
  const cachedObject = await request(app, '/cached/object')
  t.equal(cachedObject.headers['content-type'], 'application/json', 'a registration with other options inherits the default class')
  t.equal((await request(app, '/cached/file')).headers['cache-control'], 'public, max-age=60', 'its own file defaults')
  t.equal((await request(app, '/cached/csv')).text, 'c,d', 'and the serializers of its ancestors')
  t.equal((await request(app, '/tsv')).text, 'a\tb', "the child's own serializer")
  t.equal((await request(app, '/away')).status, 400, "the parent's redirect guard is inherited")
  const parentTsv = await request(app, '/parent-tsv')
  t.equal(parentTsv.status, 500, "a child's serializer does not reach the parent")
  t.equal(JSON.parse(parentTsv.text).code, 'FST_RESPONSES_NO_SERIALIZER')
})

t.test('registering twice in one context is a registration error that register() rejects with, and the app still serves', async (t) => {
  const app = Fastify()
  await app.register(fastifyResponses)
  const err = await t.rejects(async () => app.register(fastifyResponses, { defaultResponseClass: HTMLResponse }), { code: 'FST_RESPONSES_ALREADY_REGISTERED' })
  t.ok(err instanceof errors.FST_RESPONSES_ALREADY_REGISTERED)
  t.match(err.message, /child context/)

  const fresh = Fastify()
  await fresh.register(fastifyResponses)
  fresh.get('/', (request, reply) => reply.htmlResponse('<p>still here</p>'))
  await listen(t, fresh)
  t.equal((await request(fresh, '/')).text, '<p>still here</p>')
  await app.close()
})

t.test('sibling contexts register the plugin each with their own options', async (t) => {
  const app = Fastify()
  app.register(async (a) => {
    await a.register(fastifyResponses, { defaultResponseClass: PlainTextResponse })
    a.get('/a', () => 'a')
  })
  app.register(async (b) => {
    await b.register(fastifyResponses, { defaultResponseClass: HTMLResponse })
    b.get('/b', () => 'b')
  })
  await listen(t, app)
  t.equal((await request(app, '/a')).headers['content-type'], 'text/plain; charset=utf-8')
  t.equal((await request(app, '/b')).headers['content-type'], 'text/html; charset=utf-8')
})

t.test('responseClass: false opts a route out of the default class', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/default', () => 'wrapped')
    app.get('/opted-out', { responseClass: false }, () => 'native')
    app.get('/instance', { responseClass: false }, () => new JSONResponse({ still: 'sent' }))
  }, { pluginOptions: { defaultResponseClass: HTMLResponse } })
  t.equal((await request(app, '/default')).headers['content-type'], 'text/html; charset=utf-8')
  const optedOut = await request(app, '/opted-out')
  t.equal(optedOut.headers['content-type'], 'text/plain; charset=utf-8', "Fastify's own type for a string")
  t.equal(optedOut.text, 'native')
  const instance = await request(app, '/instance')
  t.equal(instance.headers['content-type'], 'application/json', 'a returned instance is sent on any route')
  t.equal(instance.text, '{"still":"sent"}')
})

t.test('only routes with a response class are wrapped', async (t) => {
  const seen = {}
  const app = Fastify()
  await app.register(fastifyResponses)
  app.addHook('onRoute', (route) => { seen[route.url] = route.handler })
  const plain = () => ({ plain: true })
  const classed = () => '<p>x</p>'
  app.get('/plain', plain)
  app.get('/classed', { responseClass: HTMLResponse }, classed)
  await app.ready()
  t.equal(seen['/plain'], plain, 'a route without a class keeps its own handler')
  t.not(seen['/classed'], classed, 'a route with a class gets the wrapper')
  await app.close()
})

t.test("a plugin's fastify-plugin route that returns an object works under any default class", async (t) => {
  const health = fp(async (app) => {
    app.get('/health', async () => ({ status: 'ok' }))
    app.get('/version', async (request, reply) => reply.type('application/vnd.example+json').send('{"v":1}'))
    app.get('/text-typed', async (request, reply) => { reply.type('text/x-custom'); return 'custom' })
  }, { name: 'health-check' })
  for (const defaultResponseClass of [HTMLResponse, PlainTextResponse, Response, RedirectResponse, JSONResponse, ORJSONResponse, UJSONResponse]) {
    const app = await startApp(t, (app) => app.register(health), { pluginOptions: { defaultResponseClass } })
    const res = await request(app, '/health')
    t.equal(res.status, 200, `${defaultResponseClass.name}: /health answers`)
    t.same(JSON.parse(res.text), { status: 'ok' }, `${defaultResponseClass.name}: /health body`)
    t.match(res.headers['content-type'], /^application\/json/, `${defaultResponseClass.name}: as JSON`)
    t.equal((await request(app, '/version')).text, '{"v":1}', `${defaultResponseClass.name}: a reply sent by the handler is left alone`)
    const typed = await request(app, '/text-typed')
    t.equal(typed.headers['content-type'], 'text/x-custom', `${defaultResponseClass.name}: a content type the handler chose is kept`)
    t.equal(typed.text, 'custom')
  }
})

t.test('a default class takes what it can render: text and null for every class, any value with a custom render or a serializer', async (t) => {
  class CSVResponse extends Response {
    static mediaType = 'text/csv'
    render (rows) { return rows.map((row) => row.join(',')).join('\n') }
  }
  const csv = await startApp(t, (app) => {
    app.get('/rows', () => [[1, 2], [3, 4]])
  }, { pluginOptions: { defaultResponseClass: CSVResponse } })
  const rows = await request(csv, '/rows')
  t.equal(rows.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(rows.text, '1,2\n3,4')

  class YAMLResponse extends Response { static mediaType = 'application/yaml' }
  const yaml = await startApp(t, (app) => {
    app.get('/object', () => ({ a: 1 }))
    app.get('/null', () => null)
  }, { pluginOptions: { defaultResponseClass: YAMLResponse, serializers: { 'application/yaml': (value) => `a: ${value.a}\n` } } })
  const object = await request(yaml, '/object')
  t.equal(object.headers['content-type'], 'application/yaml', 'a serializer for the media type makes objects renderable')
  t.equal(object.text, 'a: 1\n')
  const empty = await request(yaml, '/null')
  t.equal(empty.text, '', 'null is an empty body, as in Starlette')
  t.equal(empty.headers['content-type'], 'application/yaml')

  const html = await startApp(t, (app) => {
    app.get('/object', () => ({ a: 1 }))
    app.get('/explicit', { responseClass: HTMLResponse }, () => ({ a: 1 }))
  }, { pluginOptions: { defaultResponseClass: HTMLResponse } })
  const native = await request(html, '/object')
  t.equal(native.headers['content-type'], 'application/json; charset=utf-8', 'HTMLResponse cannot render an object: Fastify sends it')
  t.equal(native.text, '{"a":1}')
  const explicit = await request(html, '/explicit')
  t.equal(explicit.status, 500, 'a route that names the class gets the class, and its error')
  t.equal(JSON.parse(explicit.text).code, 'FST_RESPONSES_NO_SERIALIZER')
})

function openDescriptors () {
  return fs.readdirSync('/proc/self/fd').length
}

t.test('a default class never wraps bytes, Node streams, web streams, web Responses or the reply', async (t) => {
  const file = __filename
  const fileBytes = fs.readFileSync(file)
  const routes = (app) => {
    app.get('/file-stream', () => fs.createReadStream(file))
    app.get('/buffer', () => Buffer.from('buffer bytes'))
    app.get('/typed-array', () => new Uint8Array([104, 105]))
    app.get('/readable', () => Readable.from(['read', 'able']))
    app.get('/web-stream', () => new ReadableStream({ start (controller) { controller.enqueue(new TextEncoder().encode('web stream')); controller.close() } }))
    app.get('/web-response', () => new globalThis.Response('web response', { headers: { 'content-type': 'text/x-web' } }))
    app.get('/reply', (request, reply) => reply.send('sent by the reply'))
  }
  for (const defaultResponseClass of [ORJSONResponse, JSONResponse, HTMLResponse, PlainTextResponse]) {
    const app = await startApp(t, routes, { pluginOptions: { defaultResponseClass } })
    const name = defaultResponseClass.name
    await request(app, '/file-stream')
    const before = openDescriptors()
    for (let i = 0; i < 20; i++) {
      const res = await request(app, '/file-stream')
      t.equal(res.status, 200)
      if (i === 0) t.same(res.body, fileBytes, `${name}: a returned file stream sends the file`)
    }
    // A file stream closes its descriptor just after its last byte went out.
    await until(() => openDescriptors() <= before)
    t.pass(`${name}: no descriptor left open by 20 file streams`)
    const buffer = await request(app, '/buffer')
    t.equal(buffer.text, 'buffer bytes', `${name}: a Buffer is sent as bytes`)
    t.equal(buffer.headers['content-type'], 'application/octet-stream')
    t.equal((await request(app, '/typed-array')).text, 'hi', `${name}: a typed array is sent as bytes`)
    t.equal((await request(app, '/readable')).text, 'readable', `${name}: a Readable is streamed`)
    t.equal((await request(app, '/web-stream')).text, 'web stream', `${name}: a web stream is streamed`)
    const web = await request(app, '/web-response')
    t.equal(web.text, 'web response', `${name}: a web Response is sent as Fastify sends it`)
    t.equal(web.headers['content-type'], 'text/x-web')
    t.equal((await request(app, '/reply')).text, 'sent by the reply', `${name}: the reply is left alone`)
  }
})

t.test('instances passed to reply.send are sent as responses', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => { reply.send(new HTMLResponse('<p>sent</p>', { statusCode: 202 })) })
  })
  const res = await request(app, '/')
  t.equal(res.status, 202)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(res.text, '<p>sent</p>')
})

t.test('@fastify/swagger and @fastify/swagger-ui keep working with any default class', async (t) => {
  for (const defaultResponseClass of [undefined, HTMLResponse, PlainTextResponse, JSONResponse, ORJSONResponse, UJSONResponse]) {
    const name = defaultResponseClass?.name ?? 'no default'
    const app = Fastify()
    await app.register(fastifyResponses, { defaultResponseClass })
    await app.register(require('@fastify/swagger'), { openapi: { info: { title: 'scoping', version: '1.0.0' } } })
    await app.register(require('@fastify/swagger-ui'), { routePrefix: '/documentation' })
    app.get('/items', { schema: { response: { 200: { type: 'object', properties: { id: { type: 'integer' } } } } } }, () => ({ id: 1 }))
    await listen(t, app)
    const json = await request(app, '/documentation/json')
    t.equal(json.status, 200, `${name}: the OpenAPI document`)
    const spec = JSON.parse(json.text)
    t.equal(spec.openapi.startsWith('3.'), true, `${name}: an OpenAPI 3 document`)
    t.ok(spec.paths['/items'], `${name}: lists the routes`)
    const yaml = await request(app, '/documentation/yaml')
    t.equal(yaml.status, 200, `${name}: the YAML document`)
    t.match(yaml.headers['content-type'], /yaml/, `${name}: as YAML`)
    t.match(yaml.text, /openapi: 3\./)
    const page = await request(app, '/documentation/')
    t.equal(page.status, 200, `${name}: the UI page`)
    t.match(page.headers['content-type'], /^text\/html/)
    const initializer = await request(app, '/documentation/static/swagger-initializer.js')
    t.equal(initializer.status, 200, `${name}: the UI's initializer`)
    t.match(initializer.headers['content-type'], /^application\/javascript/)
    const asset = await request(app, '/documentation/static/swagger-ui.css')
    t.equal(asset.status, 200, `${name}: the UI's assets`)
    t.match(asset.headers['content-type'], /^text\/css/)
    const item = await request(app, '/items')
    t.equal(item.status, 200, `${name}: the app's own route`)
  }
})

t.test('an invalid responseClass names the route and allows false', async (t) => {
  const app = Fastify()
  await app.register(fastifyResponses)
  t.throws(() => app.get('/x', { responseClass: true }, () => 'x'), { code: 'FST_RESPONSES_INVALID_OPTION', message: /GET \/x.*or false/ })
  t.doesNotThrow(() => app.get('/y', { responseClass: false }, () => 'y'))
  await app.close()
})

t.test('without await, routes in a plugin registered after this one get their response class; a route declared on the next line is sent by Fastify as it is', async (t) => {
  const app = Fastify()
  app.register(fastifyResponses, { defaultResponseClass: HTMLResponse })
  app.get('/next-line', { responseClass: RedirectResponse }, () => '/target')
  app.register(async function routes (app) {
    app.get('/go', { responseClass: RedirectResponse }, () => '/target')
    app.get('/page', async () => '<h1>page</h1>')
  })
  await listen(t, app)
  const go = await request(app, '/go')
  t.equal(go.status, 307)
  t.equal(go.headers.location, '/target')
  const page = await request(app, '/page')
  t.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(page.body.toString(), '<h1>page</h1>')
  const early = await request(app, '/next-line')
  t.equal(early.status, 200)
  t.equal(early.headers['content-type'], 'text/plain; charset=utf-8')
  t.equal(early.body.toString(), '/target')
})
