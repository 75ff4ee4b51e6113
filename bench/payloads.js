'use strict'
// Benchmark payloads and their JSON schemas, shared by the serializer micro-benchmark
// (bench/serializers.js) and the HTTP benchmark. Deterministic (no Math.random), plain JSON data
// (strings for dates) so that every serializer produces the same bytes, and schema-shaped: each
// schema declares every field, so a schema serializer sends what JSON.stringify sends.

const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet']

function word (i) { return words[i % words.length] }

function isoDate (i) { return new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString() }

/** A small object: three fields. */
const small = { id: 42, name: 'Ada Lovelace', email: 'ada@example.com' }

const smallSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    email: { type: 'string' }
  }
}

function record (i) {
  return {
    id: i,
    name: `${word(i)} ${word(i * 7 + 3)}`,
    email: `${word(i)}.${i}@example.com`,
    active: i % 3 !== 0,
    score: Math.round(i * 13.37 * 100) / 100,
    createdAt: isoDate(i),
    tags: [word(i + 1), word(i + 2)]
  }
}

const recordSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    email: { type: 'string' },
    active: { type: 'boolean' },
    score: { type: 'number' },
    createdAt: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } }
  }
}

/** A list of records, about 10 KiB of JSON. */
const list = Array.from({ length: 70 }, (_, i) => record(i))

const listSchema = { type: 'array', items: recordSchema }

function order (i) {
  return {
    id: `ord-${String(i).padStart(5, '0')}`,
    status: ['pending', 'paid', 'shipped', 'delivered'][i % 4],
    createdAt: isoDate(i),
    customer: { id: 1000 + (i % 50), name: `${word(i)} ${word(i + 5)}`, country: ['FR', 'DE', 'US', 'JP'][i % 4] },
    items: Array.from({ length: 1 + (i % 3) }, (_, j) => ({
      sku: `${word(i + j).toUpperCase()}-${j}`,
      quantity: 1 + ((i + j) % 4),
      price: Math.round((5 + ((i * 31 + j * 17) % 200)) * 100 + 99) / 100
    })),
    total: Math.round(i * 47.11 * 100) / 100
  }
}

const orderSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string' },
    createdAt: { type: 'string' },
    customer: {
      type: 'object',
      properties: { id: { type: 'integer' }, name: { type: 'string' }, country: { type: 'string' } }
    },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { sku: { type: 'string' }, quantity: { type: 'integer' }, price: { type: 'number' } }
      }
    },
    total: { type: 'number' }
  }
}

/** A nested document, about 100 KiB of JSON. */
const nested = {
  generatedAt: isoDate(0),
  page: { number: 1, size: 400, total: 400 },
  orders: Array.from({ length: 400 }, (_, i) => order(i))
}

const nestedSchema = {
  type: 'object',
  properties: {
    generatedAt: { type: 'string' },
    page: {
      type: 'object',
      properties: { number: { type: 'integer' }, size: { type: 'integer' }, total: { type: 'integer' } }
    },
    orders: { type: 'array', items: orderSchema }
  }
}

module.exports = {
  small: { name: 'small object', data: small, schema: smallSchema },
  list: { name: '~10 KiB list of records', data: list, schema: listSchema },
  nested: { name: '~100 KiB nested document', data: nested, schema: nestedSchema }
}
