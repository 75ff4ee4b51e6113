'use strict'
// Serializer micro-benchmark: operations per second of each serializer on the payloads of
// bench/payloads.js, and the ratio to JSON.stringify measured in the same run.
// Run: npm run build && node bench/serializers.js [milliseconds per measurement, default 1000]
// Each operation also takes Buffer.byteLength of the result, as Fastify does for content-length:
// a string built by concatenation is only flattened then, and that cost belongs to its serializer.
const fastJsonStringify = require('fast-json-stringify')
const { standardJson } = require('../dist/lib/json-standard.js')
const { fastJson, compileSchema } = require('../dist/lib/json-fast.js')
const { ujsonJson } = require('../dist/lib/json-ujson.js')
const payloads = require('./payloads.js')

const duration = Number(process.argv[2] ?? 1000)

function opsPerSecond (serialize, data) {
  for (let i = 0; i < 200; i++) Buffer.byteLength(serialize(data))
  let operations = 0
  const start = process.hrtime.bigint()
  const end = start + BigInt(duration) * 1_000_000n
  let now = start
  while (now < end) {
    for (let i = 0; i < 10; i++) Buffer.byteLength(serialize(data))
    operations += 10
    now = process.hrtime.bigint()
  }
  return operations / (Number(now - start) / 1e9)
}

for (const { name, data, schema } of Object.values(payloads)) {
  const serializers = {
    'JSON.stringify': JSON.stringify,
    'standardJson (JSONResponse)': standardJson,
    'ORJSON, no schema': fastJson,
    'ORJSON, schema': compileSchema(schema),
    'UJSON (default options)': ujsonJson,
    'fast-json-stringify': fastJsonStringify(schema)
  }
  console.log(`\n${name} (${Buffer.byteLength(JSON.stringify(data))} bytes of JSON)`)
  let baseline
  for (const [label, serialize] of Object.entries(serializers)) {
    const ops = opsPerSecond(serialize, data)
    baseline ??= ops
    console.log(`  ${label.padEnd(28)} ${Math.round(ops).toLocaleString('en-US').padStart(12)} ops/s  ${(ops / baseline).toFixed(2)}x`)
  }
}
