// orjson's reach in JavaScript (Date as ISO 8601, BigInt as digits, Map, Set, typed arrays,
// NaN/±Infinity as null).
import { writeJson, type WriterOptions } from './writer.js'

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
