'use strict'
// Serializer micro-benchmark: operations per second of each serializer on the payloads of
// bench/payloads.js, and the ratio to JSON.stringify measured in the same run.
// Run: npm run build && node bench/serializers.js [milliseconds per serializer and payload, default 1000]
// Each operation also takes Buffer.byteLength of the result, as Fastify does for content-length:
// a string built by concatenation is only flattened then, and that cost belongs to its serializer.
const fastJsonStringify = require('fast-json-stringify')
const { standardJson } = require('../dist/json/standard.js')
const { fastJson } = require('../dist/json/fast.js')
const { compileSchema } = require('../dist/json/schema.js')
const { ujsonJson } = require('../dist/json/ujson.js')
const payloads = require('./payloads.js')

const duration = Number(process.argv[2] ?? 1000)
const rounds = 7

function opsPerSecond (serialize, data, milliseconds) {
  let operations = 0
  const start = process.hrtime.bigint()
  const end = start + BigInt(Math.round(milliseconds * 1e6))
  let now = start
  while (now < end) {
    for (let i = 0; i < 10; i++) Buffer.byteLength(serialize(data))
    operations += 10
    now = process.hrtime.bigint()
  }
  return operations / (Number(now - start) / 1e9)
}

// The machine is shared: each serializer runs in several short rounds, interleaved with the
// others, and keeps its best round (the one least disturbed by other processes).
function measure (serializers, data) {
  const best = new Map()
  for (const serialize of Object.values(serializers)) opsPerSecond(serialize, data, 50)
  for (let round = 0; round < rounds; round++) {
    for (const [label, serialize] of Object.entries(serializers)) {
      best.set(label, Math.max(best.get(label) ?? 0, opsPerSecond(serialize, data, duration / rounds)))
    }
  }
  return best
}

console.log(`Node ${process.version}, best of ${rounds} rounds of ${Math.round(duration / rounds)} ms; ratio to JSON.stringify`)
for (const { name, data, schema } of Object.values(payloads)) {
  const serializers = {
    'JSON.stringify': JSON.stringify,
    'standardJson (JSONResponse)': standardJson,
    'ORJSON, no schema': fastJson,
    // fast-json-stringify compiled from the schema, its errors given a code: the same work as the
    // last row, so the gap between the two rows is this run's noise.
    'ORJSON, schema': compileSchema(schema),
    'UJSON (default options)': ujsonJson,
    // What every JSON class (and Fastify's `return obj`) uses on a route with this response schema.
    'fast-json-stringify': fastJsonStringify(schema)
  }
  console.log(`\n${name} (${Buffer.byteLength(JSON.stringify(data))} bytes of JSON)`)
  const results = measure(serializers, data)
  // The same data holding one `null`: what JSONResponse's NaN check costs when it looks deeper.
  const withNull = JSON.parse(JSON.stringify(data), (key, value) => key === 'name' ? null : value)
  results.set('standardJson, one null', measure({ withNull: standardJson }, withNull).get('withNull'))
  // The same data with an empty object for every `name`: what ORJSON's check for Map, Set and typed
  // arrays costs when its scan finds `{}` and it walks the data to rule them out.
  const withEmptyObjects = JSON.parse(JSON.stringify(data), (key, value) => key === 'name' ? {} : value)
  results.set('ORJSON, empty objects', measure({ withEmptyObjects: fastJson }, withEmptyObjects).get('withEmptyObjects'))
  const baseline = results.get('JSON.stringify')
  for (const [label, ops] of results) {
    console.log(`  ${label.padEnd(28)} ${Math.round(ops).toLocaleString('en-US').padStart(12)} ops/s  ${(ops / baseline).toFixed(2)}x`)
  }
}
