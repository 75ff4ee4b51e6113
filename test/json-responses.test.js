'use strict'
// JSONResponse, ORJSONResponse and UJSONResponse over real HTTP: bytes, errors, route schemas,
// the serializer registry and defaultResponseClass.
const t = require('tap')
const { startApp, request } = require('./helpers')
const { JSONResponse, ORJSONResponse, UJSONResponse, Response } = require('fastify-responses')

const userSchema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } }
const user = { id: 1, name: 'Ada/Lovelace', password: 'secret' }

t.test('each JSON class sends its bytes as application/json', async (t) => {
  const content = { text: 'é/<>', when: new Date(0), n: 1 }
  const app = await startApp(t, (app) => {
    app.get('/json', () => new JSONResponse(content))
    app.get('/orjson', () => new ORJSONResponse({ ...content, big: 10n, tags: new Set(['a']), nan: NaN }))
    app.get('/ujson', () => new UJSONResponse(content))
    app.get('/ujson-options', (_request, reply) => reply.ujsonResponse(content, { escapeForwardSlashes: false, ensureAscii: true, statusCode: 201 }))
    app.get('/orjson-decorator', (_request, reply) => reply.orjsonResponse(new Map([[1, 'one']]), { headers: { 'x-kind': 'map' } }))
  })
  const expected = {
    '/json': '{"text":"é/<>","when":"1970-01-01T00:00:00.000Z","n":1}',
    '/orjson': '{"text":"é/<>","when":"1970-01-01T00:00:00.000Z","n":1,"big":10,"tags":["a"],"nan":null}',
    '/ujson': '{"text":"é\\/<>","when":"1970-01-01T00:00:00.000Z","n":1}',
    '/ujson-options': '{"text":"\\u00e9/<>","when":"1970-01-01T00:00:00.000Z","n":1}',
    '/orjson-decorator': '{"1":"one"}'
  }
  for (const [path, body] of Object.entries(expected)) {
    const res = await request(app, path)
    t.equal(res.text, body, path)
    t.equal(res.headers['content-type'], 'application/json', path)
    t.equal(res.headers['content-length'], String(Buffer.byteLength(body)), path)
  }
  t.equal((await request(app, '/ujson-options')).status, 201)
  t.equal((await request(app, '/orjson-decorator')).headers['x-kind'], 'map')
})

t.test('content JSON cannot write is a 500 with a coded JSON error, nothing half-sent, and the app keeps serving', async (t) => {
  const circular = {}
  circular.self = circular
  const bad = {
    nan: { a: [1, NaN] },
    infinity: { a: -Infinity },
    bigint: { a: 1n },
    circular,
    undefined
  }
  const app = await startApp(t, (app) => {
    app.get('/returned/:kind', (request) => new JSONResponse(bad[request.params.kind], { headers: { 'x-leak': 'no' } }))
    app.get('/decorator/:kind', (request, reply) => reply.jsonResponse(bad[request.params.kind], { headers: { 'x-leak': 'no' } }))
    app.get('/ujson/:kind', (request) => new UJSONResponse(bad[request.params.kind], { sortKeys: request.params.kind === 'nan' }))
    app.get('/orjson-circular', () => new ORJSONResponse(circular))
    app.get('/fine', () => new JSONResponse({ ok: true }))
  })
  const paths = [
    ...Object.keys(bad).flatMap((kind) => [`/returned/${kind}`, `/decorator/${kind}`]),
    '/ujson/nan', '/ujson/bigint', '/orjson-circular'
  ]
  for (const path of paths) {
    const res = await request(app, path)
    t.equal(res.status, 500, path)
    t.equal(res.headers['content-type'], 'application/json; charset=utf-8', path)
    t.equal(res.headers['x-leak'], undefined, `${path}: no header of the failed response`)
    const body = JSON.parse(res.text)
    t.equal(body.code, 'FST_RESPONSES_SERIALIZATION', path)
    t.match(body.message, /^Cannot serialize content: /, path)
    t.notMatch(body.message, /\n/, path)
    t.equal((await request(app, '/fine')).text, '{"ok":true}', `after ${path}`)
  }
  t.match(JSON.parse((await request(app, '/returned/nan')).text).message, 'NaN is not JSON (at key "1")')
})

t.test('ORJSONResponse with a schema option sends only the declared fields', async (t) => {
  const listSchema = { type: 'array', items: userSchema }
  const app = await startApp(t, (app) => {
    app.get('/one', () => new ORJSONResponse(user, { schema: userSchema }))
    app.get('/list', (_request, reply) => reply.orjsonResponse([user, user], { schema: listSchema }))
    // The option wins over the route's schema.
    app.get('/both', { schema: { response: { 200: listSchema } } }, () => new ORJSONResponse(user, { schema: { type: 'object', properties: { name: { type: 'string' } } } }))
  })
  t.equal((await request(app, '/one')).text, '{"id":1,"name":"Ada/Lovelace"}')
  t.equal((await request(app, '/list')).text, '[{"id":1,"name":"Ada/Lovelace"},{"id":1,"name":"Ada/Lovelace"}]')
  t.equal((await request(app, '/both')).text, '{"name":"Ada/Lovelace"}')
  t.equal(new ORJSONResponse(user, { schema: userSchema }).body.toString(), '{"id":1,"name":"Ada/Lovelace"}', 'outside an app too')
})

t.test('an invalid schema or ujson option is refused at construction', async (t) => {
  t.throws(() => new ORJSONResponse({}, { schema: { type: 'object', properties: { a: { $ref: 'nowhere#' } } } }), { code: 'FST_RESPONSES_INVALID_OPTION' })
  t.throws(() => new UJSONResponse({}, { indent: 'wide' }), { code: 'FST_RESPONSES_INVALID_OPTION' })
  const app = await startApp(t, (app) => {
    app.get('/bad', (_request, reply) => reply.ujsonResponse({}, { ensureAscii: 1 }))
  })
  const res = await request(app, '/bad')
  t.equal(res.status, 500)
  t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_INVALID_OPTION')
})

t.test('a route response schema filters every JSON class, per status code', async (t) => {
  const listSchema = { type: 'object', properties: { users: { type: 'array', items: userSchema } } }
  const errorSchema = { type: 'object', properties: { error: { type: 'string' } } }
  const response = {
    200: userSchema,
    201: { content: { 'application/json': { schema: listSchema } } },
    '4xx': errorSchema,
    default: { type: 'object', properties: { fallback: { type: 'boolean' } } }
  }
  const classes = { json: JSONResponse, orjson: ORJSONResponse, ujson: UJSONResponse }
  const content = { ...user, users: [user], error: 'nope', fallback: true, extra: 1 }
  const app = await startApp(t, (app) => {
    app.get('/:kind/:status', { schema: { response } }, (request) => {
      const ResponseClass = classes[request.params.kind]
      return new ResponseClass(content, { statusCode: Number(request.params.status) })
    })
    app.get('/star', { schema: { response: { 200: { content: { '*/*': { schema: userSchema } } } } } }, () => new ORJSONResponse(content))
    app.get('/csv-only', { schema: { response: { 200: { content: { 'text/csv': { schema: { type: 'string' } } } } } } }, () => new JSONResponse({ a: 1 }))
    app.get('/no-schema', () => new ORJSONResponse(content))
  })
  const expected = {
    200: '{"id":1,"name":"Ada/Lovelace"}',
    201: '{"users":[{"id":1,"name":"Ada/Lovelace"}]}',
    404: '{"error":"nope"}',
    500: '{"fallback":true}'
  }
  for (const kind of Object.keys(classes)) {
    for (const [status, body] of Object.entries(expected)) {
      const res = await request(app, `/${kind}/${status}`)
      t.equal(res.status, Number(status), `${kind} ${status}`)
      t.equal(res.text, kind === 'ujson' ? body.replaceAll('/', '\\/') : body, `${kind} ${status}`)
    }
  }
  t.equal((await request(app, '/star')).text, '{"id":1,"name":"Ada/Lovelace"}')
  t.equal((await request(app, '/csv-only')).text, '{"a":1}', 'no JSON schema for the status: nothing filtered')
  t.equal(JSON.parse((await request(app, '/no-schema')).text).password, 'secret')
})

t.test('a route schema error is a coded 500 and the app keeps serving', async (t) => {
  const app = await startApp(t, (app) => {
    const schema = { response: { 200: { type: 'object', properties: { n: { type: 'number' } } } } }
    app.get('/nan', { schema }, () => new JSONResponse({ n: NaN }))
    app.get('/ok', { schema }, () => new JSONResponse({ n: 1, other: 2 }))
  })
  const res = await request(app, '/nan')
  t.equal(res.status, 500)
  t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_SERIALIZATION')
  t.equal((await request(app, '/ok')).text, '{"n":1}')
})

t.test('routes declared before the plugin honour their response schema too', async (t) => {
  const Fastify = require('fastify')
  const fastifyResponses = require('fastify-responses')
  const app = Fastify()
  app.get('/early', { schema: { response: { 200: userSchema } } }, () => new ORJSONResponse(user))
  await app.register(fastifyResponses)
  t.teardown(() => app.close())
  const res = await app.inject('/early')
  t.equal(res.body, '{"id":1,"name":"Ada/Lovelace"}')
  t.equal(res.headers['content-type'], 'application/json')
})

t.test('the registry renders Response content by media type, parameters ignored', async (t) => {
  const tagged = (content) => Buffer.from(`tagged:${JSON.stringify(content)}`)
  const app = await startApp(t, (app) => {
    app.responses.registerSerializer('text/csv', (rows) => rows.map((row) => row.join(',')).join('\n'))
    app.get('/msgpack', () => new Response({ a: 1 }, { mediaType: 'application/x-msgpack' }))
    app.get('/msgpack-params', () => new Response({ a: 2 }, { mediaType: 'Application/X-Msgpack; version=2' }))
    app.get('/csv', () => new Response([[1, 2], [3, 4]], { mediaType: 'text/csv' }))
    app.get('/missing', () => new Response({ a: 1 }, { mediaType: 'application/cbor' }))
    app.get('/no-type', () => new Response({ a: 1 }))
  }, { pluginOptions: { serializers: { 'application/x-msgpack': tagged } } })
  t.equal((await request(app, '/msgpack')).text, 'tagged:{"a":1}')
  const withParams = await request(app, '/msgpack-params')
  t.equal(withParams.text, 'tagged:{"a":2}')
  t.equal(withParams.headers['content-type'], 'Application/X-Msgpack; version=2')
  const csv = await request(app, '/csv')
  t.equal(csv.text, '1,2\n3,4')
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  const missing = await request(app, '/missing')
  t.equal(missing.status, 500)
  t.same(JSON.parse(missing.text), { statusCode: 500, code: 'FST_RESPONSES_NO_SERIALIZER', error: 'Internal Server Error', message: 'No serializer is registered for media type "application/cbor"' })
  t.equal(JSON.parse((await request(app, '/no-type')).text).code, 'FST_RESPONSES_INVALID_CONTENT')
  t.equal((await request(app, '/msgpack')).status, 200, 'the app keeps serving')
})

t.test('each JSON class renders through its own registry entry, replaceable app-wide', async (t) => {
  const seen = []
  const app = await startApp(t, (app) => {
    app.responses.registerSerializer('orjson', (content) => `orjson:${JSON.stringify(content)}`)
    app.get('/json', () => new JSONResponse({ a: 1 }))
    app.get('/response', () => new Response({ a: 1 }, { mediaType: 'application/json' }))
    app.get('/orjson', () => new ORJSONResponse({ a: 1 }))
    app.get('/orjson-schema', () => new ORJSONResponse({ a: 1, b: 2 }, { schema: { type: 'object', properties: { a: { type: 'integer' } } } }))
    app.get('/ujson', () => new UJSONResponse({ a: '/' }, { sortKeys: true }))
  }, {
    pluginOptions: {
      serializers: {
        'application/json': (content) => `standard:${JSON.stringify(content)}`,
        ujson: (content, options) => { seen.push(options); return 'ujson' }
      }
    }
  })
  t.equal((await request(app, '/json')).text, 'standard:{"a":1}')
  t.equal((await request(app, '/response')).text, 'standard:{"a":1}')
  t.equal((await request(app, '/orjson')).text, 'orjson:{"a":1}')
  t.equal((await request(app, '/orjson-schema')).text, '{"a":1}', 'a schema is compiled, not looked up')
  t.equal((await request(app, '/ujson')).text, 'ujson')
  t.same(seen, [{ sortKeys: true }], 'the ujson entry gets the response\'s options')
  t.equal(new ORJSONResponse(new Set([1])).body.toString(), '[1]', 'outside an app, the default entries apply')
})

t.test('defaultResponseClass sends every returned value through that class', async (t) => {
  for (const [ResponseClass, expected] of [[ORJSONResponse, '{"tags":["a"],"at":"1970-01-01T00:00:00.000Z","url":"/x"}'], [UJSONResponse, '{"tags":{},"at":"1970-01-01T00:00:00.000Z","url":"\\/x"}']]) {
    const app = await startApp(t, (app) => {
      app.get('/', () => ({ tags: new Set(['a']), at: new Date(0), url: '/x' }))
      app.get('/created', async (_request, reply) => { reply.code(201); return { url: '/x', secret: 1 } })
      app.get('/schema', { schema: { response: { 200: { type: 'object', properties: { url: { type: 'string' } } } } } }, () => ({ url: '/y', secret: 1 }))
    }, { pluginOptions: { defaultResponseClass: ResponseClass } })
    const res = await request(app, '/')
    t.equal(res.text, expected, ResponseClass.name)
    t.equal(res.headers['content-type'], 'application/json', ResponseClass.name)
    const created = await request(app, '/created')
    t.equal(created.status, 201)
    t.equal(JSON.parse(created.text).secret, 1)
    t.same(JSON.parse((await request(app, '/schema')).text), { url: '/y' }, `${ResponseClass.name} with a route schema`)
  }
})

t.test('invalid serializers are refused at registration', async (t) => {
  const Fastify = require('fastify')
  const fastifyResponses = require('fastify-responses')
  for (const serializers of [{ 'text/csv': 'nope' }, 'nope', null]) {
    const app = Fastify()
    app.register(fastifyResponses, { serializers })
    await t.rejects(app.ready(), { code: 'FST_RESPONSES_INVALID_OPTION' }, JSON.stringify(serializers))
  }
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifyResponses)
  t.throws(() => app.responses.registerSerializer('', () => ''), { code: 'FST_RESPONSES_INVALID_OPTION' })
})

t.test('JSONResponse on a schema route sends the bytes of Fastify\'s own `return obj`', async (t) => {
  const schema = { response: { 200: { type: 'object', properties: { id: { type: 'integer' }, at: { type: 'string', format: 'date-time' }, tags: { type: 'array', items: { type: 'string' } } } } } }
  const content = { id: 7, at: new Date(0), tags: ['a/b'], secret: true }
  const app = await startApp(t, (app) => {
    app.get('/plain', { schema }, () => content)
    app.get('/class', { schema }, () => new JSONResponse(content))
  })
  const plain = await request(app, '/plain')
  const json = await request(app, '/class')
  t.equal(json.text, plain.text)
  t.equal(json.text, '{"id":7,"at":"1970-01-01T00:00:00.000Z","tags":["a/b"]}')
})

t.test('every JSON class on a schema route sends the bytes of Fastify\'s serializer for it, matching data or not', async (t) => {
  const schema = {
    type: 'object',
    required: ['id'],
    properties: {
      id: { type: 'integer' },
      n: { type: 'integer' },
      label: { type: 'string' },
      score: { type: 'number' },
      tags: { type: 'array', items: { type: 'string' } },
      items: { type: 'array', items: { type: 'object', properties: { k: { type: 'integer' }, v: { type: 'string' } } } }
    }
  }
  const contents = {
    matching: { id: 1, n: 2, label: 'a/b', score: 0.5, tags: ['x'], items: [{ k: 1, v: 'é' }] },
    'a float in an integer field': { id: 1, n: 1.7, items: [{ k: -2.5 }] },
    'coerced to strings': { id: 1, label: 1, tags: [2, null, true, new Date(0)], items: [{ v: 3 }] },
    'a string in a number field': { id: 1, score: '2.5' },
    'extra fields': { id: 1, label: 'x', secret: 's', items: [{ k: 1, secret: 's' }] },
    'a missing field': { id: 1, items: [{ v: 'only v' }] },
    'fields in another order': { items: [{ v: 'b', k: 1 }], label: 'x', id: 2 },
    'a BigInt in an integer field': { id: 12345678901234567890n, n: 1n },
    'Infinity in a number field': { id: 1, score: Infinity },
    'a Date for a string': { id: 1, label: new Date(0) }
  }
  const sides = {
    plain: (content) => content,
    json: (content) => new JSONResponse(content),
    orjson: (content) => new ORJSONResponse(content),
    'reply.jsonResponse': (content, reply) => reply.jsonResponse(content),
    'reply.orjsonResponse': (content, reply) => reply.orjsonResponse(content),
    ujson: (content) => new UJSONResponse(content),
    'reply.ujsonResponse': (content, reply) => reply.ujsonResponse(content)
  }
  const names = Object.keys(contents)
  const app = await startApp(t, (app) => {
    app.get('/:side/:case', { schema: { response: { 200: schema } } }, (request, reply) => sides[request.params.side](contents[names[request.params.case]], reply))
    app.get('/option/:case', (request) => new ORJSONResponse(contents[names[request.params.case]], { schema }))
    app.get('/sorted', { schema: { response: { 200: schema } } }, () => new UJSONResponse(contents['a BigInt in an integer field'], { sortKeys: true, indent: 1 }))
    app.get('/missing-required/:side', { schema: { response: { 200: schema } } }, (request, reply) => sides[request.params.side]({ label: 'no id' }, reply))
  })
  for (const [index, name] of names.entries()) {
    const plain = await request(app, `/plain/${index}`)
    t.equal(plain.status, 200, name)
    for (const side of Object.keys(sides)) {
      const res = await request(app, `/${side}/${index}`)
      const expected = side.includes('ujson') ? plain.text.replaceAll('/', '\\/') : plain.text
      t.equal(res.text, expected, `${name}: ${side}`)
    }
    t.equal((await request(app, `/option/${index}`)).text, plain.text, `${name}: ORJSONResponse's schema option on a route without one`)
  }
  t.equal((await request(app, '/plain/1')).text, '{"id":1,"n":1,"items":[{"k":-2}]}', 'Fastify truncates floats in integer fields')
  t.equal((await request(app, '/plain/2')).text, '{"id":1,"label":"1","tags":["2","","true","1970-01-01T00:00:00.000Z"],"items":[{"v":"3"}]}')
  t.equal((await request(app, '/sorted')).text, '{\n "id": 12345678901234567890,\n "n": 1\n}', 'ujson\'s layout, the digits as Fastify wrote them')
  for (const side of Object.keys(sides)) t.equal((await request(app, `/missing-required/${side}`)).status, 500, `a missing required field: ${side}`)
})

t.test('on a route with its own serializer compiler, every JSON class sends what that serializer writes', async (t) => {
  const seen = []
  const app = await startApp(t, (app) => {
    const route = { schema: { response: { 200: userSchema } }, serializerCompiler: () => (data) => `{"custom":${JSON.stringify(data.name)}}` }
    app.get('/orjson', route, () => new ORJSONResponse(user))
    app.get('/ujson', route, () => new UJSONResponse(user, { sortKeys: true }))
    app.get('/not-json', { ...route, serializerCompiler: () => () => 'not JSON' }, () => new UJSONResponse(user))
  }, { pluginOptions: { serializers: { ujson: (content) => { seen.push(content); return 'replaced ujson' } } } })
  t.equal((await request(app, '/orjson')).text, '{"custom":"Ada/Lovelace"}')
  t.equal((await request(app, '/ujson')).text, 'replaced ujson')
  t.same(seen, [{ custom: 'Ada/Lovelace' }], 'a replaced ujson entry gets the value the route\'s serializer wrote')
  const res = await request(app, '/not-json')
  t.equal(res.status, 500)
  t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_SERIALIZATION')
})

t.test('a subclass can render through its own registry entry', async (t) => {
  class CompactJSON extends JSONResponse {
    static serializer = 'compact-json'
  }
  const app = await startApp(t, (app) => {
    app.get('/', () => new CompactJSON({ a: [1, 2] }))
  }, { pluginOptions: { serializers: { 'compact-json': (content) => `compact:${JSON.stringify(content)}` } } })
  const res = await request(app, '/')
  t.equal(res.text, 'compact:{"a":[1,2]}')
  t.equal(res.headers['content-type'], 'application/json')
  t.throws(() => new CompactJSON({}).body, { code: 'FST_RESPONSES_NO_SERIALIZER', message: /"compact-json"/ }, 'outside the app, its entry is missing')
})
