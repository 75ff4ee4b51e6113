'use strict'
// Property: ORJSONResponse's schema serializer (compileSchema) writes what fast-json-stringify
// compiled from the same schema writes (the same string, or an error from both), for generated
// schemas of every shape its JSON.stringify check covers, and data that mostly matches the schema
// and sometimes does not: wrong types, NaN, ±Infinity, -0, floats in integer fields, null, missing,
// extra and reordered fields, Dates, nested arrays, strings needing escapes, toJSON, class
// instances, Maps, Sets, getters.
const t = require('tap')
const fc = require('fast-check')
const fastJsonStringify = require('fast-json-stringify')
const { compileSchema, checkFor } = require('../dist/lib/json-schema.js')

const seed = 20251125
const numRuns = 1000
const valuesPerSchema = 4

// Field names that trip object handling: integer-like keys sort first, inherited names read
// something on a plain object, `toJSON` is a hook, others need escaping.
const keys = fc.constantFrom('id', 'name', 'a', 'b', 'c', 'tags', '1', '10', '__proto__', 'constructor', 'toString', 'toJSON', 'length', 'é/ü', 'say "hi"', 'line\nbreak')

/** `type: T` or `type: [T, 'null']`, `nullable`, and keywords fast-json-stringify does not read. */
function withVariants (schema) {
  return fc.record({
    orNull: fc.constantFrom('no', 'no', 'nullable', 'type list', 'type list first'),
    described: fc.boolean()
  }).map(({ orNull, described }) => {
    const node = { ...schema }
    if (orNull === 'nullable') node.nullable = true
    if (orNull === 'type list') node.type = [schema.type, 'null']
    if (orNull === 'type list first') node.type = ['null', schema.type]
    if (described) node.description = 'a field'
    return node
  })
}

const scalarSchema = fc.oneof(
  fc.constantFrom({ type: 'string' }, { type: 'string', format: 'date-time' }, { type: 'string', format: 'date' }, { type: 'string', format: 'time' }, { type: 'string', format: 'email', maxLength: 5 }),
  fc.constantFrom({ type: 'integer' }, { type: 'integer', minimum: 0 }, { type: 'number' }, { type: 'number', multipleOf: 0.5 }),
  fc.constantFrom({ type: 'boolean' }, { type: 'null' }, { type: 'string', enum: ['a', 'b'] })
).chain((schema) => schema.type === 'null' ? fc.constant(schema) : withVariants(schema))

const { schema: schemaArbitrary } = fc.letrec((tie) => ({
  node: fc.oneof({ maxDepth: 3, depthIdentifier: 'schema' }, scalarSchema, tie('object'), tie('array')),
  array: fc.record({ items: tie('node'), minItems: fc.constantFrom(undefined, 0) }, { requiredKeys: ['items'] })
    .chain(({ items, minItems }) => withVariants({ type: 'array', items, ...(minItems === undefined ? {} : { minItems }) })),
  object: fc.record({
    fields: fc.uniqueArray(fc.tuple(keys, tie('node'), fc.boolean()), { selector: ([key]) => key, maxLength: 4 }),
    closed: fc.boolean(),
    noProperties: fc.boolean()
  }).chain(({ fields, closed, noProperties }) => {
    const schema = { type: 'object' }
    if (fields.length > 0 || !noProperties) schema.properties = Object.fromEntries(fields.map(([key, node]) => [key, node]))
    const required = fields.filter(([, , isRequired]) => isRequired).map(([key]) => key)
    if (required.length > 0) schema.required = required
    if (closed) schema.additionalProperties = false
    return withVariants(schema)
  }),
  // The check only runs for schemas with an array somewhere.
  schema: fc.oneof(tie('array'), tie('object')).filter(hasArray)
}))

function hasArray (schema) {
  return typeOf(schema) === 'array' || Object.values(schema.properties ?? {}).some(hasArray)
}

function typeOf (schema) {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type
}

const orNull = (schema) => schema.nullable === true || Array.isArray(schema.type)

class Point {
  constructor () { this.id = 1; this.name = 'p' }
}
class Named {
  get name () { return 'from a getter' }
}

const strings = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('', '/', '"', '\\', '\u0000\u001f', '\ud800', 'a\udc00b', '😀', '\u2028\u2029', '<&>', 'x'.repeat(41) + '"', 'y'.repeat(5000), 'z'.repeat(4999) + '\n')
)
const integers = fc.oneof(fc.integer(), fc.constantFrom(0, -0, 2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e21, -1e300))
const numbers = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), integers, fc.constantFrom(1.7, -0, 5e-324, 1e-7, 0.1 + 0.2))

/** Values that fit no schema, or only by coercion. */
const oddValues = [
  NaN, Infinity, -Infinity, -0, 1.7, 2 ** 53 + 1, '1', '', 'true', true, false, 0, null, undefined, 1n, 2n ** 64n,
  new Date(0), new Date(NaN), new Date(Date.UTC(999, 0, 1)), new Date(8.64e15), /re\/x/g, Symbol('s'), () => 1,
  new String('s'), new Number(3), new Map([['a', 1]]), new Set([1, 'a']), new Uint8Array([1, 2]),
  [], {}, [1, 'a', null], [[1, [2]], []], { toJSON: () => 'json' }, { toJSON: () => ({ id: 2, extra: 1 }) },
  new Point(), new Named(), Object.assign(Object.create(null), { id: 1, a: 'x' }), Object.create({ id: 1, a: 'x' }),
  Object.defineProperty({}, 'a', { value: 'hidden', enumerable: false }), { a: undefined, b: undefined }, { extra: 1 },
  // eslint-disable-next-line no-sparse-arrays
  [1, , 3], Object.assign([1, 2], { toJSON: () => 'array hook' }), { get a () { throw new Error('getter') } }
]

/** What a handler might return by mistake in place of a value of each type. */
const nearMisses = {
  string: [null, 1, true, new Date(0), new Date(NaN), new Date(Date.UTC(12345, 5, 6, 7, 8, 9)), /re/, new String('s'), { toString: () => 'text' }, Symbol('s'), undefined],
  integer: [1.7, -2.5, NaN, Infinity, -Infinity, '3', '', null, true, 1n, 2n ** 64n, new Number(4), new Date(5), undefined],
  number: [NaN, Infinity, -Infinity, '1.5', 'x', null, false, 1n, new Number(1.5), new Date(6), undefined],
  boolean: [0, 1, '', 'false', null, new Boolean(false), undefined],
  null: [0, '', false, undefined, {}],
  array: [
    null, undefined, (items) => ({ ...items }), (items) => new Set(items), (items) => Object.assign([...items], { toJSON: () => [] }),
    // eslint-disable-next-line no-sparse-arrays
    (items) => [...items, , 1], (items) => [...items, undefined], (items) => Object.assign(Object.setPrototypeOf([...items], Array.prototype), { extra: 1 })
  ],
  object: [
    null, undefined, [], 'abc', 7, new Date(0),
    (fields) => new Map(Object.entries(fields)),
    (fields) => Object.setPrototypeOf({ ...fields }, Point.prototype),
    (fields) => Object.setPrototypeOf({ ...fields }, { id: 1, name: 'inherited', a: 'inherited', tags: [] }),
    (fields) => Object.defineProperty({ ...fields }, 'toJSON', { value: () => ({ id: 2 }), enumerable: false }),
    (fields) => Object.assign({ ...fields }, { extra: 1 }),
    (fields) => Object.fromEntries(Object.entries(fields).reverse()),
    (fields) => Object.assign({ ...fields }, { unknown: undefined }),
    (fields) => {
      const copy = { ...fields }
      for (const key of Object.keys(copy).slice(0, 1)) Object.defineProperty(copy, key, { enumerable: false })
      return copy
    },
    (fields) => Object.freeze(Object.assign(Object.create(null), fields))
  ]
}

/** `value` made a near miss: a constant, or a function of the value it replaces. */
function nearMiss (schema, value, pick) {
  const misses = nearMisses[typeOf(schema)]
  const miss = misses[pick % misses.length]
  return typeof miss === 'function' && typeof value === 'object' && value !== null ? miss(value) : miss
}

/** Data for a schema: every node fits it, or with `wrong` > 0, each node is odd with that chance. */
function dataFor (schema, wrong) {
  const fitting = fittingData(schema, wrong)
  if (wrong === 0) return fitting
  const misses = nearMisses[typeOf(schema)].filter((miss) => typeof miss !== 'function')
  return fc.oneof({ weight: Math.round(1 / wrong) - 1, arbitrary: fitting }, { weight: 1, arbitrary: fc.constantFrom(...misses, ...oddValues) })
}

function fittingData (schema, wrong) {
  const type = typeOf(schema)
  const value = (() => {
    switch (type) {
      case 'string': return strings
      case 'integer': return integers
      case 'number': return numbers
      case 'boolean': return fc.boolean()
      case 'null': return fc.constant(null)
      case 'array': {
        const items = dataFor(schema.items, wrong)
        // Long arrays of strings go through fast-json-stringify's copy to JSON.stringify.
        return typeOf(schema.items) === 'string' && !orNull(schema.items)
          ? fc.oneof({ weight: 4, arbitrary: fc.array(items, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.array(items, { minLength: 130, maxLength: 140 }) })
          : fc.array(items, { maxLength: 4 })
      }
      default: return objectData(schema, wrong)
    }
  })()
  return orNull(schema) ? fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) }) : value
}

/** Declared fields, some left out (required ones only when `wrong`), in declared or shuffled order; odd forms when `wrong`. */
function objectData (schema, wrong) {
  const declared = Object.entries(schema.properties ?? {})
  const required = schema.required ?? []
  return fc.record({
    fields: fc.tuple(...declared.map(([key, field]) => fc.record({
      key: fc.constant(key),
      value: dataFor(field, wrong),
      present: required.includes(key) && wrong === 0 ? fc.constant('yes') : fc.oneof({ weight: 6, arbitrary: fc.constant('yes') }, { weight: 1, arbitrary: fc.constantFrom('no', 'undefined') }),
      order: fc.nat(3)
    }))),
    shuffled: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    extra: wrong === 0 ? fc.constant([]) : fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.tuple(keys, fc.integer()), { maxLength: 2 }) }),
    form: wrong === 0 ? fc.constant('plain') : fc.constantFrom('plain', 'plain', 'plain', 'null prototype', 'getters', 'frozen')
  }).map(({ fields, shuffled, extra, form }) => {
    const present = fields.filter((field) => field.present !== 'no')
    if (shuffled) present.sort((a, b) => a.order - b.order)
    const entries = [...present.map(({ key, value, present }) => [key, present === 'yes' ? value : undefined]), ...extra]
    if (form === 'getters') {
      const object = {}
      for (const [key, value] of entries) Object.defineProperty(object, key, { get: () => value, enumerable: true, configurable: true })
      return object
    }
    const object = Object.fromEntries(entries)
    if (form === 'null prototype') return Object.assign(Object.create(null), object)
    return form === 'frozen' ? Object.freeze(object) : object
  })
}

/** Every place in fitting data that a schema node describes, as [holder, key, schema]. */
function places (schema, holder, key, into = []) {
  into.push([holder, key, schema])
  const value = holder[key]
  const type = typeOf(schema)
  if (type === 'array' && Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) places(schema.items, value, index, into)
  } else if (type === 'object' && typeof value === 'object' && value !== null) {
    for (const field of Object.keys(schema.properties ?? {})) {
      if (Object.hasOwn(value, field)) places(schema.properties[field], value, field, into)
    }
  }
  return into
}

/** Fitting data with exactly one value replaced by a near miss of its type. */
function oneMissFor (schema) {
  return fc.tuple(fittingData(schema, 0), fc.nat(), fc.nat()).map(([data, where, pick]) => {
    const root = { data }
    const all = places(schema, root, 'data')
    const [holder, key, node] = all[where % all.length]
    Object.defineProperty(holder, key, { value: nearMiss(node, holder[key], pick), enumerable: true, writable: true, configurable: true })
    return root.data
  })
}

function outcome (serialize, data) {
  try {
    return { text: serialize(data) }
  } catch {
    return { threw: true }
  }
}

t.test(`the schema serializer writes what fast-json-stringify writes, for any data (fast-check seed ${seed}, ${numRuns} schemas × ${valuesPerSchema} values)`, async (t) => {
  const checked = { passed: 0, failed: 0 }
  fc.assert(fc.property(
    schemaArbitrary.chain((schema) => fc.tuple(
      fc.constant(schema),
      fc.array(fc.oneof(fittingData(schema, 0), oneMissFor(schema), oneMissFor(schema), dataFor(schema, 1 / 6)), { minLength: valuesPerSchema, maxLength: valuesPerSchema })
    )),
    ([schema, values]) => {
      const check = checkFor(schema)
      if (check === undefined) throw new Error(`the check does not cover ${JSON.stringify(schema)}`)
      const serialize = compileSchema(schema)
      const reference = fastJsonStringify(schema)
      for (const data of values) {
        const got = outcome(serialize, data)
        const expected = outcome(reference, data)
        if (got.text !== expected.text || got.threw !== expected.threw) {
          throw new Error(`schema ${JSON.stringify(schema)}: sent ${JSON.stringify(got)}, fast-json-stringify ${JSON.stringify(expected)}`)
        }
        let passes = false
        try {
          passes = check(data)
        } catch {}
        checked[passes ? 'passed' : 'failed']++
      }
    }
  ), { seed, numRuns, endOnFailure: true })
  // Both sides of the check were exercised: data sent with JSON.stringify, and data handed to fast-json-stringify.
  t.ok(checked.passed > numRuns, `${checked.passed} values sent with JSON.stringify`)
  t.ok(checked.failed > numRuns, `${checked.failed} values sent by fast-json-stringify`)
})
