// orjson's reach in JavaScript (Date as ISO 8601, BigInt as digits, Map, Set, typed arrays,
// NaN/±Infinity as null), and schema serializers that send only the declared fields.
import fastJsonStringify from 'fast-json-stringify'
import { FST_RESPONSES_INVALID_OPTION } from '../errors.js'
import { serializationError, writeJson, type WriterOptions } from './writer.js'

const orjsonTypes: WriterOptions = { extendedTypes: true, nonFinite: 'null', sortKeys: false, indent: 0 }

/**
 * JSON.stringify already writes Dates as ISO 8601 and NaN as null; it throws on BigInt and writes
 * Map, Set and empty typed arrays as `{}`, other typed arrays as `{"0":...}`. Only output that
 * failed, or holds one of those shapes and came from data that reaches such a type, needs the
 * (slower) JavaScript writer: an empty object alone does not.
 */
export function fastJson (content: unknown): string {
  let text: string | undefined
  try {
    text = JSON.stringify(content)
  } catch {
    return writeJson(content, orjsonTypes)
  }
  if (text === undefined || (mayHoldExtendedTypes(text) && reachesExtendedTypes(content))) return writeJson(content, orjsonTypes)
  return text
}

const closeBrace = 0x7d
const quote = 0x22
const zero = 0x30

/**
 * True when the JSON text holds `{}` or `{"0"`. One pass over the `{` found by indexOf, checking
 * what follows each: measured on Node 20 (bench/serializers.js), it costs less than the two
 * `includes` it replaces, which each stop at every `{`.
 */
function mayHoldExtendedTypes (text: string): boolean {
  for (let at = text.indexOf('{'); at !== -1; at = text.indexOf('{', at + 1)) {
    const next = text.charCodeAt(at + 1)
    if (next === closeBrace || (next === quote && text.charCodeAt(at + 2) === zero && text.charCodeAt(at + 3) === quote)) return true
  }
  return false
}

const dateToJSON = Date.prototype.toJSON

/**
 * True when `content` reaches a Map, Set, typed array or a `toJSON` other than a Date's, along the
 * edges JSON.stringify follows (array items, own enumerable properties): JSON.stringify has just
 * walked the same data, so it is finite and acyclic. If the walk fails (data nested deeper than it
 * can go, a getter that throws), the writer runs and reports the error with a code.
 */
function reachesExtendedTypes (content: unknown): boolean {
  try {
    return reaches(content)
  } catch {
    return true
  }
}

function reaches (value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (value instanceof Map || value instanceof Set || ArrayBuffer.isView(value)) return true
  const toJSON = (value as { toJSON?: unknown }).toJSON
  if (typeof toJSON === 'function') return toJSON !== dateToJSON
  const items = Array.isArray(value) ? value : Object.values(value)
  for (let index = 0; index < items.length; index++) if (reaches(items[index])) return true
  return false
}

export type SchemaSerializer = (content: unknown) => string

const compiled = new WeakMap<object, SchemaSerializer>()
const projections = new WeakMap<object, SchemaSerializer | null>()

/** The serializer for a JSON schema, compiled once per schema object. */
export function compileSchema (schema: object): SchemaSerializer {
  if (typeof schema !== 'object' || schema === null) throw new FST_RESPONSES_INVALID_OPTION('schema must be a JSON schema object')
  let serializer = compiled.get(schema)
  if (serializer === undefined) {
    serializer = projectionFor(schema) ?? compileWithFastJsonStringify(schema)
    compiled.set(schema, serializer)
  }
  return serializer
}

function compileWithFastJsonStringify (schema: object): SchemaSerializer {
  let stringify: (content: unknown) => string
  try {
    stringify = fastJsonStringify(schema)
  } catch (err) {
    throw new FST_RESPONSES_INVALID_OPTION(`schema: ${(err as Error).message}`)
  }
  return (content) => {
    try {
      return stringify(content)
    } catch (err) {
      throw serializationError(err)
    }
  }
}

/**
 * Measured on Node 20 (bench/serializers.js): fast-json-stringify beats JSON.stringify on small
 * fixed objects but is slower as soon as arrays make the output long. For schemas with arrays,
 * the generated checker and projection below are faster. They cover plain schemas (`type`
 * object/array/scalars, `properties`, `items`); undefined for any other.
 */
export function projectionFor (schema: unknown): SchemaSerializer | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined
  let projection = projections.get(schema)
  if (projection === undefined) {
    projection = isPlainSchema(schema) && hasArray(schema) ? compileProjection(schema) : null
    projections.set(schema, projection)
  }
  return projection ?? undefined
}

interface PlainSchema {
  type?: string
  properties?: Record<string, PlainSchema>
  items?: PlainSchema
}

const plainKeywords = new Set(['type', 'properties', 'items', 'title', 'description'])
const scalarTypes = new Set(['string', 'number', 'integer', 'boolean', 'null'])

function isPlainSchema (node: unknown): node is PlainSchema {
  if (typeof node !== 'object' || node === null || Object.keys(node).some((keyword) => !plainKeywords.has(keyword))) return false
  const { type, properties, items } = node as PlainSchema
  if (type === 'object') return items === undefined && typeof properties === 'object' && properties !== null && Object.values(properties).every(isPlainSchema)
  if (type === 'array') return properties === undefined && isPlainSchema(items)
  return properties === undefined && items === undefined && scalarTypes.has(type as string)
}

function hasArray (node: PlainSchema): boolean {
  return node.type === 'array' || Object.values(node.properties ?? {}).some(hasArray)
}

/** True for what `JSON.stringify` writes as `fastJson` does, in a field declared as a scalar. */
function stringifiesAlike (value: unknown): boolean {
  return typeof value === 'object' ? value === null || value instanceof Date : typeof value !== 'bigint'
}

/**
 * Generates the schema serializer. Data made of plain objects that hold only declared fields (the
 * common case: the handler built it for this response) is checked by a walk that allocates
 * nothing and sent with `JSON.stringify`; other data (undeclared fields, class instances, `toJSON`,
 * Sets...) is projected: copied with only the declared fields, read as fast-json-stringify reads
 * them (`toJSON` first, then each declared property), and written by `fastJson`.
 * Each object or array node of the schema gets a `check<n>` and a `project<n>` function.
 */
function compileProjection (schema: PlainSchema): SchemaSerializer {
  const helpers: string[] = []
  let count = 0
  function compile (node: PlainSchema): { check: (value: string) => string, project: (value: string) => string } {
    if (node.type !== 'object' && node.type !== 'array') return { check: (value) => `stringifiesAlike(${value})`, project: (value) => value }
    const n = count++
    helpers.push(node.type === 'object' ? objectHelpers(n, node.properties as Record<string, PlainSchema>) : arrayHelpers(n, node.items as PlainSchema))
    return { check: (value) => `check${n}(${value})`, project: (value) => `project${n}(${value})` }
  }
  function objectHelpers (n: number, properties: Record<string, PlainSchema>): string {
    const fields = Object.entries(properties).map(([key, field]) => ({ name: JSON.stringify(key), key, ...compile(field) }))
    const cases = fields.map(({ name, check }) => `case ${name}: if (!${check('v[key]')}) return false; break`)
    // A declared `__proto__` is a field: a computed key defines it, a literal one would set the prototype.
    const copies = fields.map(({ name, key, project }) => `${key === '__proto__' ? `[${name}]` : name}: ${project(`v[${name}]`)}`)
    return `function check${n} (v) {
      if (v === null || typeof v !== 'object') return stringifiesAlike(v)
      if (v.constructor !== Object) return false
      for (const key in v) { switch (key) { ${cases.join('\n')}\ndefault: return false } }
      return true
    }
    function project${n} (v) {
      if (v !== null && typeof v === 'object' && typeof v.toJSON === 'function') v = v.toJSON()
      return v === null || typeof v !== 'object' ? v : { ${copies.join(', ')} }
    }`
  }
  function arrayHelpers (n: number, items: PlainSchema): string {
    const item = compile(items)
    const projectItem = `(item) => ${item.project('item')}`
    // Scalar items are sent as they are (a Set of them by fastJson): no copy. Items of a Set or
    // another iterable in place of an array are projected too, so no undeclared field leaks.
    const copy = items.type === 'object' || items.type === 'array'
      ? `Array.isArray(v) ? v.map(${projectItem}) : typeof v !== 'object' || stringifiesAlike(v) ? v : Array.from(v, ${projectItem})`
      : 'v'
    return `function check${n} (v) {
      if (!Array.isArray(v)) return stringifiesAlike(v)
      for (let i = 0; i < v.length; i++) if (!${item.check('v[i]')}) return false
      return true
    }
    function project${n} (v) { return ${copy} }`
  }
  const top = compile(schema)
  // The generated code holds nothing from the schema but field names, each as a JSON string literal.
  const build = new Function('fastJson', 'stringifiesAlike', `${helpers.join('\n')}
    return function projected (content) {
      if (${top.check('content')}) {
        const text = JSON.stringify(content)
        if (text !== undefined) return text
      }
      return fastJson(${top.project('content')})
    }`)
  return build(fastJson, stringifiesAlike)
}
