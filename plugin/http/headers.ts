// The mutable, case-insensitive header map every response carries (Starlette's MutableHeaders).
// Names are stored lowercased; `set-cookie` keeps one entry per cookie. Values are checked as
// they come in, so a header that would inject another (CR, LF, NUL), or that Node would refuse
// halfway through sending, never reaches the wire.
import { FST_RESPONSES_INVALID_HEADER } from '../errors.js'

export type HeaderValue = string | number
export type HeadersInit = Record<string, HeaderValue | readonly HeaderValue[]> | Iterable<readonly [string, HeaderValue]>

// RFC 9110 token for names. Values: tab, visible ASCII and Latin-1 (what Node's http writes);
// CR, LF, NUL and other control characters, and anything above U+00FF, are refused.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const FORBIDDEN_IN_VALUE = /[^\t\x20-\x7e\x80-\xff]/
// A content type's `type/subtype`, tokens (RFC 9110 §8.3.1), then any parameters: Fastify
// replaces a content-type header without one by its own default, silently.
const MEDIA_TYPE = /^\s*[!#$%&'*+\-.^_`|~0-9A-Za-z]+\/[!#$%&'*+\-.^_`|~0-9A-Za-z]+\s*(?:;|$)/
const ABOVE_ASCII = /[\x80-\xff]/

/** An RFC 9110 token: what header names, and cookie names, are made of. */
export function isToken (value: unknown): value is string {
  return typeof value === 'string' && HEADER_NAME.test(value)
}

export function checkHeaderName (name: string): string {
  if (!isToken(name)) {
    throw new FST_RESPONSES_INVALID_HEADER(JSON.stringify(String(name)), 'a header name must be an HTTP token')
  }
  return name.toLowerCase()
}

export function checkHeaderValue (name: string, value: HeaderValue): string {
  const text = typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string' || FORBIDDEN_IN_VALUE.test(text)) {
    throw new FST_RESPONSES_INVALID_HEADER(JSON.stringify(name), 'a header value must be a string without control characters (CR, LF, NUL...) or characters above U+00FF')
  }
  if (name === 'content-type' && !MEDIA_TYPE.test(text)) {
    throw new FST_RESPONSES_INVALID_HEADER('"content-type"', 'a media type must be type/subtype, such as "text/csv", then any parameters')
  }
  return text
}

/** Whether a value of `fields` holds Latin-1 beyond ASCII (values are checked: nothing above U+00FF). */
export function hasLatin1 (fields: Record<string, string | string[]>): boolean {
  for (const name in fields) {
    const value = fields[name]
    if (typeof value === 'string' ? ABOVE_ASCII.test(value) : value.some((item) => ABOVE_ASCII.test(item))) return true
  }
  return false
}

export class ResponseHeaders implements Iterable<[string, string]> {
  // Lowercase name → value, or every value of a repeated header. Made on the first header: most
  // responses carry none of their own.
  #map: Map<string, string | string[]> | undefined = undefined

  constructor (init?: HeadersInit | ResponseHeaders) {
    if (init === undefined || init === null) return
    if (init instanceof ResponseHeaders) {
      for (const [name, value] of init) this.append(name, value)
      return
    }
    const entries = Symbol.iterator in init ? init as Iterable<readonly [string, HeaderValue]> : Object.entries(init)
    for (const [name, value] of entries) {
      if (Array.isArray(value)) for (const item of value) this.append(name, item)
      else this.append(name, value as HeaderValue)
    }
  }

  get (name: string): string | undefined {
    const value = this.#map?.get(name.toLowerCase())
    return Array.isArray(value) ? value.join(', ') : value
  }

  /** Every value of a header, for `set-cookie` which is never joined. */
  getAll (name: string): string[] {
    const value = this.#map?.get(name.toLowerCase())
    return value === undefined ? [] : Array.isArray(value) ? value.slice() : [value]
  }

  /** How many header names are set (a repeated header counts once). */
  get size (): number {
    return this.#map?.size ?? 0
  }

  has (name: string): boolean {
    return this.#map?.has(name.toLowerCase()) === true
  }

  set (name: string, value: HeaderValue): this {
    const key = checkHeaderName(name)
    const map = this.#map ??= new Map()
    map.set(key, checkHeaderValue(key, value))
    return this
  }

  /** Adds a value; a header set twice keeps both (set-cookie stays one line each, others are comma-joined on get). */
  append (name: string, value: HeaderValue): this {
    const key = checkHeaderName(name)
    const text = checkHeaderValue(key, value)
    const map = this.#map ??= new Map()
    const current = map.get(key)
    if (current === undefined) map.set(key, key === 'set-cookie' ? [text] : text)
    else if (Array.isArray(current)) current.push(text)
    else map.set(key, [current, text])
    return this
  }

  delete (name: string): boolean {
    return this.#map?.delete(name.toLowerCase()) === true
  }

  /**
   * Calls `fn` once per header name, with a repeated header's values as a fresh array: Fastify
   * appends later `set-cookie` values to the array it was given, and sending never mutates a response.
   */
  forEachHeader (fn: (name: string, value: string | string[]) => void): void {
    if (this.#map === undefined) return
    for (const [name, value] of this.#map) fn(name, Array.isArray(value) ? value.slice() : value)
  }

  /** A fresh plain object of the headers, as Fastify's `reply.headers()` takes them. */
  toObject (): Record<string, string | string[]> {
    const copy: Record<string, string | string[]> = {}
    this.forEachHeader((name, value) => { copy[name] = value })
    return copy
  }

  * [Symbol.iterator] (): IterableIterator<[string, string]> {
    if (this.#map === undefined) return
    for (const [name, value] of this.#map) {
      if (Array.isArray(value)) for (const item of value) yield [name, item]
      else yield [name, value]
    }
  }

  toJSON (): Record<string, string | string[]> {
    return this.toObject()
  }
}
