'use strict'
// @fastify/swagger side by side: a route's response class, its own or its context's default,
// is documented in the OpenAPI 3 document (status, media type, body schema; a redirect's
// Location header), a route's own schema.response wins, and what is sent does not change.
const t = require('tap')
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')
const { request } = require('./helpers')
const {
  Response, HTMLResponse, PlainTextResponse, JSONResponse, ORJSONResponse, UJSONResponse, RedirectResponse,
  StreamingResponse, JSONLinesResponse, EventSourceResponse, FileResponse
} = fastifyResponses

class CSVResponse extends Response {
  static mediaType = 'text/csv'
}

// FileResponse guesses each file's type: a static one is not what it sends.
class PDFResponse extends FileResponse {
  static mediaType = 'application/pdf'
}

/** A route for each class, with what its handler returns. */
const routes = [
  ['/html', HTMLResponse, '<p>page</p>'],
  ['/text', PlainTextResponse, 'text'],
  ['/json', JSONResponse, { a: [1, 2] }],
  ['/orjson', ORJSONResponse, { a: [1, 2] }],
  ['/ujson', UJSONResponse, { a: [1, 2] }],
  ['/file', FileResponse, __filename],
  ['/stream', StreamingResponse, ['a', 'b']],
  ['/events', EventSourceResponse, ['x']],
  ['/jsonl', JSONLinesResponse, [{ n: 1 }, { n: 2 }]],
  ['/redirect', RedirectResponse, '/html'],
  ['/response', Response, 'bytes'],
  ['/csv', CSVResponse, 'a,b'],
  ['/file-subclass', PDFResponse, __filename]
]

const text = { type: 'string' }
const binary = { type: 'string', format: 'binary' }
const documented = (mediaType, schema) => ({ 200: { description: 'Default Response', content: { [mediaType]: { schema } } } })
const defaultResponse = { 200: { description: 'Default Response' } }

const expected = {
  '/html': documented('text/html', text),
  '/text': documented('text/plain', text),
  '/json': documented('application/json', {}),
  '/orjson': documented('application/json', {}),
  '/ujson': documented('application/json', {}),
  '/file': documented('application/octet-stream', binary),
  '/stream': documented('application/octet-stream', binary),
  '/events': documented('text/event-stream', text),
  '/jsonl': documented('application/jsonl', text),
  '/redirect': { 307: { description: 'Temporary Redirect', headers: { Location: { schema: { type: 'string' }, description: 'The URL the client is redirected to' } } } },
  '/response': documented('application/octet-stream', binary),
  '/csv': documented('text/csv', text),
  '/file-subclass': documented('application/octet-stream', binary)
}

const item = { type: 'object', properties: { id: { type: 'integer' } } }

/** The routes, and the ones where a route's own schema or a context's default decide. */
async function declare (app) {
  for (const [path, responseClass, value] of routes) app.get(path, { responseClass }, () => value)
  app.get('/json-schema', { responseClass: JSONResponse, schema: { response: { 200: item } } }, () => ({ id: 1, secret: true }))
  app.get('/own-2xx', { responseClass: HTMLResponse, schema: { response: { '2XX': { description: 'A page', content: { 'text/html': { schema: { type: 'string', maxLength: 100 } } } } } } }, () => '<p>own</p>')
  app.get('/own-404', { responseClass: HTMLResponse, schema: { response: { 404: { description: 'Missing', type: 'null' } } } }, () => '<p>found</p>')
  app.get('/no-class', () => ({ plain: true }))
  await app.register(async (child) => {
    await child.register(fastifyResponses, { defaultResponseClass: HTMLResponse })
    child.get('/page', () => '<p>default</p>')
    child.get('/opt-out', { responseClass: false }, () => ({ out: true }))
  }, { prefix: '/child' })
}

const openapi = { openapi: { info: { title: 'responses', version: '1.0.0' } } }

/** An app with the routes, @fastify/swagger registered before or after the plugin, or not at all. */
async function appWith (t, swagger, pluginOptions) {
  const app = Fastify()
  if (swagger === 'before') await app.register(require('@fastify/swagger'), openapi)
  await app.register(fastifyResponses, pluginOptions)
  if (swagger === 'after') await app.register(require('@fastify/swagger'), openapi)
  await declare(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  app.baseUrl = `http://127.0.0.1:${app.server.address().port}`
  return app
}

for (const swagger of ['before', 'after']) {
  t.test(`registered ${swagger} the plugin, @fastify/swagger documents each response class`, async (t) => {
    const app = await appWith(t, swagger)
    const spec = app.swagger()
    t.match(spec.openapi, /^3\./)
    for (const [path] of routes) t.same(spec.paths[path].get.responses, expected[path], path)
  })
}

t.test("a route's own schema.response wins for its status, and the class fills in the others", async (t) => {
  const app = await appWith(t, 'after')
  const { paths } = app.swagger()
  t.same(paths['/json-schema'].get.responses, documented('application/json', item), "a JSON class documents the route's schema")
  t.same(paths['/own-2xx'].get.responses, { '2XX': { description: 'A page', content: { 'text/html': { schema: { type: 'string', maxLength: 100 } } } } }, 'a 2XX entry covers 200')
  t.same(paths['/own-404'].get.responses, { ...documented('text/html', text), 404: { description: 'Missing' } }, 'a 404 entry leaves 200 to the class')
})

t.test("a context's defaultResponseClass is documented; a route that opts out, or has no class, is not", async (t) => {
  const app = await appWith(t, 'after')
  const { paths } = app.swagger()
  t.same(paths['/child/page'].get.responses, documented('text/html', text))
  t.same(paths['/child/opt-out'].get.responses, defaultResponse)
  t.same(paths['/no-class'].get.responses, defaultResponse)
})

t.test('each route sends the same status, headers and body with and without @fastify/swagger', async (t) => {
  // A JSON serializer of the app's own: a documented schema never becomes the route's serializer.
  const pluginOptions = { serializers: { 'application/json': (value) => JSON.stringify(value, null, 1) } }
  const [plain, documentedApp] = [await appWith(t, undefined, pluginOptions), await appWith(t, 'after', pluginOptions)]
  const paths = [...routes.map(([path]) => path), '/json-schema', '/own-2xx', '/own-404', '/no-class', '/child/page', '/child/opt-out']
  const sent = (res) => ({ status: res.status, headers: { ...res.headers, date: undefined }, body: res.body })
  for (const path of paths) {
    for (const method of ['GET', 'HEAD']) {
      const [without, withSwagger] = await Promise.all([request(plain, path, { method }), request(documentedApp, path, { method })])
      t.same(sent(withSwagger), sent(without), `${method} ${path}`)
    }
  }
  t.equal((await request(documentedApp, '/json')).text, '{\n "a": [\n  1,\n  2\n ]\n}', "a JSON class renders with the app's serializer")
  t.equal((await request(documentedApp, '/json-schema')).text, '{"id":1}', "and a route schema's serializer where the route has one")
})
