// A JSON writer in JavaScript, for what JSON.stringify cannot do: orjson's extra types (Map, Set,
// BigInt, typed arrays) and ujson's sorted keys. It follows JSON.stringify everywhere else:
// `toJSON` is honoured, `undefined`/functions/symbols are left out of objects and are `null` in
// arrays, and the indentation is the same.
import { FST_RESPONSES_SERIALIZATION } from '../errors.js'

export interface WriterOptions {
  /** Map as an object with stringified keys, Set and typed arrays as arrays, BigInt as digits. */
  extendedTypes: boolean
  /** What NaN and ±Infinity become: `null` (orjson), or an error (JSON.stringify's strict use). */
  nonFinite: 'null' | 'error'
  sortKeys: boolean
  /** Spaces per level; 0 is compact. */
  indent: number
}

/** Serializes `content` as `JSON.stringify(content, null, indent)` would, with the writer's options. */
export function writeJson (content: unknown, options: WriterOptions): string {
  let text: string | undefined
  try {
    text = new JsonWriter(options).value(content, '', '\n')
  } catch (err) {
    throw serializationError(err)
  }
  if (text === undefined) throw new FST_RESPONSES_SERIALIZATION(`${typeof content} is not JSON`)
  return text
}

/** Errors from user code (`toJSON`) or the engine (stack overflow) as this package's error. */
export function serializationError (err: unknown): Error {
  // V8's circular-structure message spans several lines: its first one says it all.
  return err instanceof FST_RESPONSES_SERIALIZATION ? err : new FST_RESPONSES_SERIALIZATION(String((err as Error).message).split('\n')[0])
}

class JsonWriter {
  readonly #options: WriterOptions
  readonly #indent: string
  readonly #ancestors = new Set<object>()

  constructor (options: WriterOptions) {
    this.#options = options
    this.#indent = ' '.repeat(options.indent)
  }

  /** The JSON text of one value, or undefined where JSON.stringify leaves the value out. */
  value (input: unknown, key: string, newline: string): string | undefined {
    const value = withToJSON(input, key)
    switch (typeof value) {
      case 'string': return JSON.stringify(value)
      case 'number': return this.#number(value)
      case 'boolean': return value ? 'true' : 'false'
      case 'bigint':
        if (this.#options.extendedTypes) return value.toString()
        throw new FST_RESPONSES_SERIALIZATION('BigInt is not JSON')
      case 'object': return value === null ? 'null' : this.#container(value, newline)
      default: return undefined
    }
  }

  #number (value: number): string {
    if (Number.isFinite(value)) return String(value)
    if (this.#options.nonFinite === 'null') return 'null'
    throw new FST_RESPONSES_SERIALIZATION(`${value} is not JSON`)
  }

  #container (value: object, newline: string): string {
    if (this.#ancestors.has(value)) throw new FST_RESPONSES_SERIALIZATION('circular structure')
    this.#ancestors.add(value)
    const inner = this.#indent === '' ? newline : newline + this.#indent
    const text = Array.isArray(value) ? this.#array(value, inner) : this.#objectLike(value, inner)
    this.#ancestors.delete(value)
    return text
  }

  #objectLike (value: object, inner: string): string {
    if (this.#options.extendedTypes) {
      if (value instanceof Map) return this.#object([...value].map(([key, item]) => [mapKey(key), item]), inner)
      if (value instanceof Set) return this.#array([...value], inner)
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return this.#array([...(value as unknown as Iterable<unknown>)], inner)
    }
    return this.#object(Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]]), inner)
  }

  #array (items: unknown[], inner: string): string {
    if (items.length === 0) return '[]'
    const parts = items.map((item, index) => this.value(item, String(index), inner) ?? 'null')
    return this.#wrap('[', parts, ']', inner)
  }

  #object (entries: Array<[string, unknown]>, inner: string): string {
    // Keys of one object are distinct, so no two compare equal.
    if (this.#options.sortKeys) entries.sort(([a], [b]) => a < b ? -1 : 1)
    const colon = this.#indent === '' ? ':' : ': '
    const parts: string[] = []
    for (const [key, item] of entries) {
      const text = this.value(item, key, inner)
      if (text !== undefined) parts.push(JSON.stringify(key) + colon + text)
    }
    return parts.length === 0 ? '{}' : this.#wrap('{', parts, '}', inner)
  }

  #wrap (open: string, parts: string[], close: string, inner: string): string {
    if (this.#indent === '') return open + parts.join(',') + close
    const outer = inner.slice(0, inner.length - this.#indent.length)
    return open + inner + parts.join(',' + inner) + outer + close
  }
}

function withToJSON (value: unknown, key: string): unknown {
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') return toJSON.call(value, key)
  }
  return value
}

/** orjson's OPT_NON_STR_KEYS: dates as ISO 8601, everything else as its string form. */
function mapKey (key: unknown): string {
  return key instanceof Date ? key.toISOString() : String(key)
}
