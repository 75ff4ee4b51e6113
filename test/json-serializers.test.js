'use strict'
// The JSON serializers on their own: exact output bytes on a table of inputs, and their errors.
const t = require('tap')
const { standardJson } = require('../dist/json/standard.js')
const { fastJson } = require('../dist/json/fast.js')
const { compileSchema } = require('../dist/json/schema.js')
const { ujsonJson, ujsonFromJson, checkUJSONOptions } = require('../dist/json/ujson.js')
const { writeJson } = require('../dist/json/writer.js')
const { forStatus, jsonEntry } = require('../dist/json/route-schema.js')
const { errors } = require('fastify-responses')

function deep (depth) {
  let value = { leaf: [] }
  for (let i = 0; i < depth; i++) value = { a: [value] }
  return value
}

function circular () {
  const value = { list: [] }
  value.list.push(value)
  return value
}

t.test('standardJson writes compact JSON.stringify output', async (t) => {
  const table = [
    [{ a: 1, b: [true, null, 'x'] }, '{"a":1,"b":[true,null,"x"]}'],
    ['é😀/<>&', '"é😀/<>&"'],
    ['\u2028\n"\\\ud800', '"\u2028\\n\\"\\\\\\ud800"'],
    [{}, '{}'],
    [[], '[]'],
    [{ a: undefined, f () {} }, '{}'],
    [[undefined], '[null]'],
    [new Date(0), '"1970-01-01T00:00:00.000Z"'],
    [{ text: 'null' }, '{"text":"null"}'],
    [{ n: null, d: new Date(NaN), inherited: Object.create({ nan: NaN }) }, '{"n":null,"d":null,"inherited":{}}'],
    [null, 'null'],
    [deep(500), JSON.stringify(deep(500))]
  ]
  for (const [index, [input, expected]] of table.entries()) t.equal(standardJson(input), expected, `input ${index}`)
})

t.test('standardJson refuses what JSON cannot write, with a code', async (t) => {
  const table = [
    [NaN, 'NaN is not JSON'],
    [{ a: [1, Infinity] }, '-?Infinity is not JSON \\(at key "1"\\)'],
    [{ a: -Infinity }, '-Infinity is not JSON \\(at key "a"\\)'],
    [{ toJSON: () => NaN }, 'NaN is not JSON'],
    [{ a: 1n }, 'BigInt'],
    [circular(), '^Cannot serialize content: Converting circular structure to JSON$'],
    [undefined, 'undefined is not JSON'],
    [() => {}, 'function is not JSON'],
    [{ list: [null, { d: new Date(NaN), typed: new Float64Array([1, NaN]) }] }, 'NaN is not JSON \\(at key "1"\\)'],
    [Object.assign(Object.create({ inherited: NaN }), { own: NaN, n: null }), 'NaN is not JSON \\(at key "own"\\)'],
    [{ deep: deep(100000), n: null }, 'call stack']
  ]
  for (const [input, message] of table) {
    t.throws(() => standardJson(input), { code: 'FST_RESPONSES_SERIALIZATION', message: new RegExp(message) }, message)
  }
  t.type(errors.FST_RESPONSES_SERIALIZATION, 'function')
})

t.test('fastJson writes orjson types', async (t) => {
  const table = [
    [{ a: 1, s: 'é/😀' }, '{"a":1,"s":"é/😀"}'],
    [{ d: new Date(Date.UTC(2024, 1, 29, 12)) }, '{"d":"2024-02-29T12:00:00.000Z"}'],
    [{ n: 2n ** 70n, neg: -5n }, '{"n":1180591620717411303424,"neg":-5}'],
    [new Map([[1, 'a'], ['k', new Map([[true, null]])], [new Date(0), 2]]), '{"1":"a","k":{"true":null},"1970-01-01T00:00:00.000Z":2}'],
    [new Set([1, 'a', new Set([2n])]), '[1,"a",[2]]'],
    [{ u8: new Uint8Array([1, 255]), f: new Float64Array([0.5, NaN]), b: new BigInt64Array([3n]) }, '{"u8":[1,255],"f":[0.5,null],"b":[3]}'],
    [{ nan: NaN, inf: Infinity, ninf: -Infinity }, '{"nan":null,"inf":null,"ninf":null}'],
    [{ e: {}, a: [], m: new Map(), s: new Set(), t: new Uint8Array(0) }, '{"e":{},"a":[],"m":{},"s":[],"t":[]}'],
    [{ x: undefined, f () {}, arr: [undefined, () => {}, Symbol('s')] }, '{"arr":[null,null,null]}'],
    [{ toJSON (key) { return { key, m: new Map([['a', 1]]) } } }, '{"key":"","m":{"a":1}}'],
    [new Map([['o', { toJSON: (key) => `key ${key}` }]]), '{"o":"key o"}'],
    [[true, false, null, 'x'], '[true,false,null,"x"]'],
    [new Set([true, false, undefined, () => {}, { u: undefined }]), '[true,false,null,null,{}]'],
    [{ '{}': '{}' }, '{"{}":"{}"}']
  ]
  for (const [index, [input, expected]] of table.entries()) t.equal(fastJson(input), expected, `input ${index}`)
})

t.test('fastJson sends JSON.stringify output when only empty objects or "0" keys look like orjson types', async (t) => {
  const table = [
    { e: {}, list: [{}, { 0: 'zero' }], n: null },
    { d: new Date(0), e: {} },
    { boxed: Object(5), e: {} },
    { zeroish: { '0x': 1 }, text: '{x{"0"', a: 1 },
    [{ 0: 0 }]
  ]
  for (const [index, input] of table.entries()) t.equal(fastJson(input), JSON.stringify(input), `input ${index}`)
})

t.test('fastJson reports a getter that fails on a later read with a code', async (t) => {
  let reads = 0
  const flaky = { e: {}, get value () { if (reads++ > 0) throw new Error('read twice'); return 1 } }
  t.throws(() => fastJson(flaky), { code: 'FST_RESPONSES_SERIALIZATION', message: /read twice/ })
})

t.test('fastJson refuses circular data and top-level non-JSON, with a code', async (t) => {
  t.throws(() => fastJson(circular()), { code: 'FST_RESPONSES_SERIALIZATION', message: /circular structure/ })
  t.throws(() => fastJson(new Map([['self', circular()]])), { code: 'FST_RESPONSES_SERIALIZATION' })
  t.throws(() => fastJson(undefined), { code: 'FST_RESPONSES_SERIALIZATION', message: /undefined is not JSON/ })
  t.throws(() => fastJson({ toJSON () { throw new Error('broken toJSON') } }), { code: 'FST_RESPONSES_SERIALIZATION', message: /broken toJSON/ })
})

t.test('the JSON writer indents, sorts and refuses as JSON.stringify does', async (t) => {
  const strict = { extendedTypes: false, nonFinite: 'error', sortKeys: false, indent: 2 }
  const value = { b: [1, { d: [], c: {} }], a: 'x' }
  t.equal(writeJson(value, strict), JSON.stringify(value, null, 2))
  t.equal(writeJson({ b: 1, 10: 2, 9: 3, a: { z: 1, y: 2 } }, { ...strict, sortKeys: true, indent: 0 }), '{"10":2,"9":3,"a":{"y":2,"z":1},"b":1}')
  t.equal(writeJson({ a: 1, b: 1 }, { ...strict, sortKeys: true, indent: 0 }), '{"a":1,"b":1}')
  t.throws(() => writeJson({ a: NaN }, strict), { code: 'FST_RESPONSES_SERIALIZATION', message: /NaN is not JSON/ })
  t.throws(() => writeJson(1n, strict), { code: 'FST_RESPONSES_SERIALIZATION', message: /BigInt is not JSON/ })
  t.equal(writeJson(new Map([['a', 1]]), strict), '{}', 'a Map is an empty object without extended types, as in JSON.stringify')
  t.throws(() => writeJson(deep(100000), strict), { code: 'FST_RESPONSES_SERIALIZATION', message: /call stack/ })
})

t.test('ujsonJson writes what FastAPI\'s ujson.dumps(content, ensure_ascii=False) writes', async (t) => {
  const table = [
    [{ url: 'https://a.b/c', 'k/': 'é😀<>&' }, {}, '{"url":"https:\\/\\/a.b\\/c","k\\/":"é😀<>&"}'],
    ['a\\/b', {}, '"a\\\\\\/b"'],
    [{ url: '/x' }, { escapeForwardSlashes: false }, '{"url":"/x"}'],
    ['<a href="x">&</a>', { encodeHtmlChars: true, escapeForwardSlashes: false }, '"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"'],
    ['é😀\u00ff', { ensureAscii: true }, '"\\u00e9\\ud83d\\ude00\\u00ff"'],
    [{ b: 1, a: [1, { d: 1, c: 2 }] }, { sortKeys: true }, '{"a":[1,{"c":2,"d":1}],"b":1}'],
    [{ a: [1], b: {} }, { indent: 2 }, '{\n  "a": [\n    1\n  ],\n  "b": {}\n}'],
    [{ b: [], a: { y: '/' } }, { indent: 4, sortKeys: true }, '{\n    "a": {\n        "y": "\\/"\n    },\n    "b": []\n}'],
    [[], {}, '[]']
  ]
  for (const [index, [input, options, expected]] of table.entries()) t.equal(ujsonJson(input, options), expected, `input ${index}`)
  t.equal(ujsonJson({ a: '/' }), '{"a":"\\/"}', 'the options are optional')
})

t.test('ujsonJson refuses NaN and BigInt, and checkUJSONOptions bad options', async (t) => {
  t.throws(() => ujsonJson({ a: NaN }), { code: 'FST_RESPONSES_SERIALIZATION' })
  t.throws(() => ujsonJson({ a: Infinity }, { sortKeys: true }), { code: 'FST_RESPONSES_SERIALIZATION' })
  t.throws(() => ujsonJson({ a: 1n }), { code: 'FST_RESPONSES_SERIALIZATION' })
  t.doesNotThrow(() => checkUJSONOptions({ ensureAscii: true, indent: 10 }))
  t.throws(() => checkUJSONOptions({ sortKeys: 'yes' }), { code: 'FST_RESPONSES_INVALID_OPTION', message: /sortKeys must be a boolean/ })
  for (const indent of [-1, 11, 1.5, '2']) {
    t.throws(() => checkUJSONOptions({ indent }), { code: 'FST_RESPONSES_INVALID_OPTION', message: /indent/ }, String(indent))
  }
})

const itemSchema = { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } }
const listSchema = { title: 'list', type: 'object', required: ['total'], properties: { items: { type: 'array', items: itemSchema }, total: { type: 'integer', description: 'count' } } }

t.test('a schema sends what fast-json-stringify writes for it, matching data or not', async (t) => {
  const list = compileSchema(listSchema)
  t.equal(compileSchema(listSchema), list, 'compiled once per schema object')
  const cases = [
    [{ items: [{ id: 1, name: 'a' }], total: 1 }, '{"total":1,"items":[{"id":1,"name":"a"}]}', 'required fields first, as fast-json-stringify orders them'],
    [{ total: 1.7, items: [{ id: 2.5, name: 3 }] }, '{"total":1,"items":[{"id":2,"name":"3"}]}', 'integers truncated, strings coerced'],
    [{ total: 1, items: [{ name: null }, null, new (class Item { constructor () { this.id = 5 } })()] }, '{"total":1,"items":[{"name":""},{},{"id":5}]}', 'null coerced, class instances read field by field'],
    [{ total: 1, items: [{ id: 1, secret: 's', toJSON: undefined }], secret: 's' }, '{"total":1,"items":[{"id":1}]}', 'only declared fields'],
    [{ total: 1, items: [{ toJSON: () => ({ id: 9, secret: 's' }) }] }, '{"total":1,"items":[{"id":9}]}', 'toJSON applies before the fields are picked']
  ]
  for (const [data, expected, name] of cases) t.equal(list(data), expected, name)
  for (const data of [{ items: [] }, { total: NaN, items: [] }, { total: 1, items: new Set([{ id: 10 }]) }, { total: 1, items: [{ get id () { throw new Error('getter') } }] }]) {
    t.throws(() => list(data), { code: 'FST_RESPONSES_SERIALIZATION', message: /^Cannot serialize content: / }, 'fast-json-stringify\'s errors, with a code')
  }
})

t.test('schemas fast-json-stringify refuses are invalid options', async (t) => {
  t.throws(() => compileSchema({ type: 'object', properties: { a: { $ref: '#/nowhere' } } }), { code: 'FST_RESPONSES_INVALID_OPTION', message: /^Invalid option: schema: / })
  for (const schema of ['{"type":"object"}', null, 42]) {
    t.throws(() => compileSchema(schema), { code: 'FST_RESPONSES_INVALID_OPTION', message: 'Invalid option: schema must be a JSON schema object' }, String(schema))
  }
})

t.test('ujsonFromJson restyles JSON text without parsing its numbers', async (t) => {
  const text = '{"b":[1,{"d":"x/y","c":{}}],"a":12345678901234567890,"e":[],"f":"q\\"\\\\"}'
  t.equal(ujsonFromJson(text), '{"b":[1,{"d":"x\\/y","c":{}}],"a":12345678901234567890,"e":[],"f":"q\\"\\\\"}', 'escapes only: key order and digits kept')
  t.equal(ujsonFromJson(text, { sortKeys: true, escapeForwardSlashes: false }), '{"a":12345678901234567890,"b":[1,{"c":{},"d":"x/y"}],"e":[],"f":"q\\"\\\\"}')
  t.equal(ujsonFromJson('[ 1 , {"a" : "\\u00e9"} ]', { indent: 2, ensureAscii: true }), '[\n  1,\n  {\n    "a": "\\u00e9"\n  }\n]')
  const value = { z: [1, { y: 'é/<' }, []], a: {}, m: [null, true, -1.5e-7] }
  for (const options of [{ sortKeys: true }, { indent: 3 }, { sortKeys: true, indent: 1, encodeHtmlChars: true, ensureAscii: true }]) {
    t.equal(ujsonFromJson(JSON.stringify(value), options), ujsonJson(value, options), `as ujsonJson writes the value, ${JSON.stringify(options)}`)
  }
  t.equal(ujsonFromJson('{"b":1,"a":2,"b":3}', { sortKeys: true }), '{"a":2,"b":1,"b":3}', 'repeated keys keep their order')
  t.throws(() => ujsonFromJson('{"a":"raw " quote"}', { sortKeys: true }), { code: 'FST_RESPONSES_SERIALIZATION' }, 'text that is not JSON cannot be laid out')
})

t.test('forStatus picks a response schema in Fastify\'s order', async (t) => {
  const lookup = (responses, key) => responses[key]
  t.equal(forStatus(201, { 201: 'exact', '2xx': 'class', default: 'default' }, lookup), 'exact')
  t.equal(forStatus(201, { '2xx': 'class', default: 'default' }, lookup), 'class')
  t.equal(forStatus(404, { '2xx': 'class', default: 'default' }, lookup), 'default')
  t.equal(forStatus(404, { '2xx': 'class' }, lookup), undefined)
  t.equal(forStatus(799, { '7xx': 'beyond the table' }, lookup), 'beyond the table', 'a status set past 599 is looked up too')
  t.equal(jsonEntry({ 'application/json': 'json', '*/*': 'any' }), 'json')
  t.equal(jsonEntry({ 'text/csv': 'csv', '*/*': 'any' }), 'any')
  t.equal(jsonEntry({ 'text/csv': 'csv' }), undefined)
})

t.test('the registry matches media types without parameters and refuses bad entries', async (t) => {
  const { SerializerRegistry, defaultSerializers } = require('../dist/json/serializers.js')
  const registry = new SerializerRegistry([['Application/X-Test', () => 'test']])
  t.equal(registry.get(' application/x-test ; v=1')(), 'test')
  t.throws(() => registry.get('application/other'), { code: 'FST_RESPONSES_NO_SERIALIZER', message: 'No serializer is registered for media type "application/other"' })
  t.throws(() => registry.get(undefined), { code: 'FST_RESPONSES_NO_SERIALIZER', message: /"none"/ })
  t.throws(() => registry.register(' ', () => ''), { code: 'FST_RESPONSES_INVALID_OPTION', message: /needs a media type/ })
  t.throws(() => registry.register(42, () => ''), { code: 'FST_RESPONSES_INVALID_OPTION', message: /needs a media type/ })
  t.throws(() => registry.register('text/csv', 'not a function'), { code: 'FST_RESPONSES_INVALID_OPTION', message: 'Invalid option: the serializer for "text/csv" must be a function' })
  t.equal(defaultSerializers.get('application/json; charset=utf-8')({ a: 1 }), '{"a":1}')
  t.equal(defaultSerializers.get('orjson')(new Set([1])), '[1]')
  t.equal(defaultSerializers.get('ujson')('/'), '"\\/"')
  const copy = defaultSerializers.copy()
  copy.register('orjson', () => 'replaced')
  t.equal(defaultSerializers.get('orjson')([]), '[]', 'a copy is independent of its original')
})
