// orjson's reach in JavaScript (Date as ISO 8601, BigInt as digits, Map, Set, typed arrays,
// NaN/±Infinity as null), and schema serializers that send only the declared fields.
import fastJsonStringify from 'fast-json-stringify'
import { FST_RESPONSES_INVALID_OPTION } from '../errors.js'
import { serializationError, writeJson, type WriterOptions } from './json-writer.js'

const orjsonTypes: WriterOptions = { extendedTypes: true, nonFinite: 'null', sortKeys: false, indent: 0 }

/**
 * JSON.stringify already writes Dates as ISO 8601 and NaN as null; it throws on BigInt and writes
 * Map, Set and empty typed arrays as `{}`, other typed arrays as `{"0":...}`. Only output that
 * failed or holds one of those shapes needs the (slower) JavaScript writer.
 */
export function fastJson (content: unknown): string {
  let text: string | undefined
  try {
    text = JSON.stringify(content)
  } catch {
    return writeJson(content, orjsonTypes)
  }
  if (text === undefined || text.includes('{}') || text.includes('{"0":')) return writeJson(content, orjsonTypes)
  return text
}

export type SchemaSerializer = (content: unknown) => string

const compiled = new WeakMap<object, SchemaSerializer>()
const projections = new WeakMap<object, SchemaSerializer | null>()

/** The serializer for a JSON schema, compiled once per schema object. */
export function compileSchema (schema: object): SchemaSerializer {
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
 * fixed objects but is slower as soon as arrays make the output long. For schemas with arrays, a
 * compiled projection that copies only the declared fields, then `fastJson`, is faster. It covers
 * plain schemas (`type` object/array/scalars, `properties`, `items`); undefined for any other.
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

/** Generates `(content) => fastJson(<content with only the declared fields>)`. */
function compileProjection (schema: PlainSchema): SchemaSerializer {
  const helpers: string[] = []
  let helperCount = 0
  function project (node: PlainSchema, value: string): string {
    if (node.type === 'object') {
      const fields = Object.entries(node.properties as Record<string, PlainSchema>).map(([key, field]) => {
        const name = JSON.stringify(key)
        // A declared `__proto__` is a field: a computed key defines it, a literal one would set the prototype.
        return `${key === '__proto__' ? `[${name}]` : name}: ${project(field, `${value}[${name}]`)}`
      })
      return `(${value} === null || typeof ${value} !== 'object' ? ${value} : {${fields.join(', ')}})`
    }
    if (node.type === 'array') {
      const helper = `item${helperCount++}`
      helpers.push(`function ${helper} (v) { return ${project(node.items as PlainSchema, 'v')} }`)
      return `(Array.isArray(${value}) ? ${value}.map(${helper}) : ${value})`
    }
    return value
  }
  const body = project(schema, 'content')
  // The generated code holds nothing from the schema but field names, each as a JSON string literal.
  const build = new Function('fastJson', `${helpers.join('\n')}\nreturn function projected (content) { return fastJson(${body}) }`)
  return build(fastJson)
}
