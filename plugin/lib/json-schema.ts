// ORJSONResponse's `schema` option: the bytes fast-json-stringify writes for that schema (what a
// Fastify route with that schema sends), whatever the data. Where the schema has arrays, a check
// that allocates nothing proves first that `JSON.stringify(data)` writes those same bytes.
import fastJsonStringify from 'fast-json-stringify'
import { FST_RESPONSES_INVALID_OPTION } from '../errors.js'
import { serializationError } from './json-writer.js'

export type SchemaSerializer = (content: unknown) => string

const compiled = new WeakMap<object, SchemaSerializer>()

/** The serializer for a JSON schema, compiled once per schema object. */
export function compileSchema (schema: object): SchemaSerializer {
  if (typeof schema !== 'object' || schema === null) throw new FST_RESPONSES_INVALID_OPTION('schema must be a JSON schema object')
  let serializer = compiled.get(schema)
  if (serializer === undefined) {
    const stringify = compileWithFastJsonStringify(schema)
    const check = checkFor(schema)
    serializer = check === undefined ? stringify : checked(check, stringify)
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

function checked (check: (content: unknown) => boolean, stringify: SchemaSerializer): SchemaSerializer {
  return (content) => {
    try {
      if (check(content)) return JSON.stringify(content)
    } catch {
      // A getter that throws: fast-json-stringify reads the declared fields itself and reports.
    }
    return stringify(content)
  }
}

type ScalarType = 'string' | 'integer' | 'number' | 'boolean' | 'null'

/** A schema node the check covers; `nullable` also accepts `null`. */
type CheckedNode =
  | { type: ScalarType, nullable: boolean }
  | { type: 'array', nullable: boolean, items: CheckedNode }
  | { type: 'object', nullable: boolean, fields: Array<{ key: string, node: CheckedNode, required: boolean }> }

// Keywords fast-json-stringify does not read when `type` is given: they cannot change its output.
const inertKeywords = new Set([
  'title', 'description', '$comment', 'examples', 'example', 'deprecated', 'readOnly', 'writeOnly',
  'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties'
])
const scalarTypes = new Set(['string', 'integer', 'number', 'boolean', 'null'])

/**
 * What a schema node is for the check, or undefined when a keyword or shape could make
 * fast-json-stringify write anything other than `JSON.stringify`'s output for data that passes
 * (`const`, `default`, `$ref`, `anyOf`, `additionalProperties` other than `false`, the `unsafe`
 * format, tuples...). `type: [T, 'null']` is T, nullable: fast-json-stringify tries `null` first.
 */
function checkedNode (schema: unknown): CheckedNode | undefined {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined
  const { type: declared, nullable = false, format, properties, required, additionalProperties, items, ...others } = schema as Record<string, unknown>
  if (Object.keys(others).some((keyword) => !inertKeywords.has(keyword))) return undefined
  if (typeof nullable !== 'boolean' || format === 'unsafe' || (additionalProperties !== undefined && additionalProperties !== false)) return undefined
  let type = declared
  let orNull = nullable
  if (Array.isArray(declared) && declared.length === 2 && declared.includes('null')) {
    type = declared[0] === 'null' ? declared[1] : declared[0]
    orNull = true
  }
  if (type !== 'object' && (properties !== undefined || required !== undefined || additionalProperties !== undefined)) return undefined
  if (type !== 'array' && items !== undefined) return undefined
  if (type === 'array') {
    const itemNode = checkedNode(items)
    return itemNode === undefined ? undefined : { type, nullable: orNull, items: itemNode }
  }
  if (type === 'object') return objectNode(properties === undefined ? {} : properties, required === undefined ? [] : required, orNull)
  return scalarTypes.has(type as string) ? { type: type as ScalarType, nullable: orNull } : undefined
}

function objectNode (properties: unknown, required: unknown, nullable: boolean): CheckedNode | undefined {
  if (typeof properties !== 'object' || properties === null || !Array.isArray(required)) return undefined
  const keys = Object.keys(properties)
  if (!required.every((key) => keys.includes(key))) return undefined
  // fast-json-stringify writes the required fields first, then the others, each in declared order.
  const ordered = [...keys.filter((key) => required.includes(key)), ...keys.filter((key) => !required.includes(key))]
  const fields = []
  for (const key of ordered) {
    const node = checkedNode((properties as Record<string, unknown>)[key])
    if (node === undefined) return undefined
    fields.push({ key, node, required: required.includes(key) })
  }
  return { type: 'object', nullable, fields }
}

function hasArray (node: CheckedNode): boolean {
  if (node.type === 'array') return true
  return node.type === 'object' && node.fields.some((field) => hasArray(field.node))
}

/**
 * The check for a schema, where one applies: measured on Node 20 (bench/serializers.js),
 * fast-json-stringify beats the check and `JSON.stringify` on small fixed objects, not once arrays
 * make the output long.
 */
export function checkFor (schema: object): ((content: unknown) => boolean) | undefined {
  const node = checkedNode(schema)
  return node === undefined || !hasArray(node) ? undefined : compileCheck(node)
}

/**
 * Generates the check: true only when `JSON.stringify(content)` writes what fast-json-stringify
 * writes for it. Per node, fast-json-stringify writes
 * - `integer`: `'' + value` for an integer number, the text JSON.stringify writes; anything else
 *   is rounded, coerced or refused;
 * - `number`: the same for a finite number; NaN is refused, ±Infinity written `null`, others coerced;
 * - `string`: a string escaped as JSON.stringify escapes it; `null`, Dates, others coerced;
 * - `boolean`: `true` or `false` from any value's truthiness; `null`: `null` for any value;
 * - an array: its items (no `toJSON` call), `[]` for `null`, an error for a non-array;
 * - an object: after `toJSON`, its declared fields in the schema's order (required ones first),
 *   read with `obj[key]` (inherited and non-enumerable ones too) and left out when undefined; the
 *   others never; `{}` for `null`.
 * So an object passes when it is a plain object (prototype `Object.prototype` or `null`) without a
 * `toJSON`, whose own enumerable keys (what `for...in` lists, Object.prototype having none) are
 * declared, come in that order and hold passing values (undefined ones are written by neither);
 * when a declared key was not among them, it must read undefined and not be required. Each object
 * or array node gets a `check<n>` function. Values are read once here and once by `JSON.stringify`,
 * so a getter must return the same value each time.
 */
function compileCheck (root: CheckedNode): (content: unknown) => boolean {
  const helpers: string[] = []
  function check (node: CheckedNode, value: string): string {
    const orNull = node.nullable ? `${value} === null || ` : ''
    switch (node.type) {
      case 'string': return `(${orNull}typeof ${value} === 'string')`
      case 'integer': return `(${orNull}Number.isInteger(${value}))`
      case 'number': return `(${orNull}Number.isFinite(${value}))`
      case 'boolean': return `(${orNull}typeof ${value} === 'boolean')`
      case 'null': return `(${value} === null)`
      case 'array': return `check${arrayHelper(node)}(${value})`
      case 'object': return `check${objectHelper(node)}(${value})`
    }
  }
  function arrayHelper (node: Extract<CheckedNode, { type: 'array' }>): number {
    const n = helpers.push('') - 1
    helpers[n] = `function check${n} (v) {
      if (!Array.isArray(v)) return ${node.nullable ? 'v === null' : 'false'}
      if (typeof v.toJSON === 'function') return false
      for (let i = 0; i < v.length; i++) {
        const x = v[i]
        if (!${check(node.items, 'x')}) return false
      }
      return true
    }`
    return n
  }
  function objectHelper (node: Extract<CheckedNode, { type: 'object' }>): number {
    const n = helpers.push('') - 1
    const cases = node.fields.map(({ key, node: field }, index) => `case ${JSON.stringify(key)}: {
        const x = v[${JSON.stringify(key)}]
        if (x === undefined) continue
        if (last >= ${index} || !${check(field, 'x')}) return false
        last = ${index}
        break
      }`)
    const absent = node.fields.map(({ key, required }) => `{
        const x = v[${JSON.stringify(key)}]
        if (x === undefined ? ${String(required)} : !isEnumerable.call(v, ${JSON.stringify(key)})) return false
      }`)
    helpers[n] = `function check${n} (v) {
      if (typeof v !== 'object' || v === null) return ${node.nullable ? 'v === null' : 'false'}
      const proto = getPrototypeOf(v)
      if ((proto !== objectPrototype && proto !== null) || typeof v.toJSON === 'function') return false
      let last = -1
      let seen = 0
      for (const key in v) {
        switch (key) {
          ${cases.join('\n')}
          default: return false
        }
        seen++
      }
      return seen === ${node.fields.length} || absent${n}(v)
    }
    function absent${n} (v) {
      ${absent.join('\n')}
      return true
    }`
    return n
  }
  const top = check(root, 'content')
  // The generated code holds nothing from the schema but field names, each as a JSON string literal.
  const build = new Function('getPrototypeOf', 'objectPrototype', 'isEnumerable', `${helpers.join('\n')}
    return function check (content) { return ${top} }`)
  return build(Object.getPrototypeOf, Object.prototype, Object.prototype.propertyIsEnumerable)
}
