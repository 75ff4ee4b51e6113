// ujson-style JSON, as FastAPI's UJSONResponse sends it (`ujson.dumps(content, ensure_ascii=False)`):
// compact, UTF-8, `/` escaped as `\/`; with ujson's options. NaN and ±Infinity are errors, as in
// the standard serializer (JSON has no way to write them).
import { FST_RESPONSES_INVALID_OPTION } from '../errors.js'
import { strictJson } from './standard.js'
import { serializationError, writeJson } from './writer.js'

export interface UJSONOptions {
  /** Escape every non-ASCII character as `\uXXXX` (default false, as FastAPI). */
  ensureAscii?: boolean
  /** Write `/` as `\/` (default true, ujson's default). */
  escapeForwardSlashes?: boolean
  /** Write `<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026` (default false). */
  encodeHtmlChars?: boolean
  /** Object keys in sorted order (default false). */
  sortKeys?: boolean
  /** Spaces per level, 0 to 10 (default 0: compact). */
  indent?: number
}

const flags = ['ensureAscii', 'escapeForwardSlashes', 'encodeHtmlChars', 'sortKeys'] as const

/** Refuses options that ujson would not take, at construction rather than when sending. */
export function checkUJSONOptions (options: UJSONOptions): void {
  for (const flag of flags) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean') throw new FST_RESPONSES_INVALID_OPTION(`${flag} must be a boolean`)
  }
  const { indent } = options
  if (indent !== undefined && !(Number.isInteger(indent) && indent >= 0 && indent <= 10)) {
    throw new FST_RESPONSES_INVALID_OPTION('indent must be an integer from 0 to 10')
  }
}

export function ujsonJson (content: unknown, options: UJSONOptions = {}): string {
  const { sortKeys = false, indent = 0 } = options
  const text = sortKeys
    ? writeJson(content, { extendedTypes: false, nonFinite: 'error', sortKeys, indent })
    : strictJson(content, indent)
  return escaped(text, options)
}

/**
 * JSON text another serializer wrote (a route schema's), in ujson's style: the same value, every
 * token as written (a big integer keeps its digits); its layout too, unless `sortKeys` or `indent`
 * lays it out anew.
 */
export function ujsonFromJson (text: string, options: UJSONOptions = {}): string {
  const { sortKeys = false, indent = 0 } = options
  if (sortKeys || indent !== 0) {
    try {
      JSON.parse(text)
    } catch (err) {
      throw serializationError(err)
    }
    text = new Relayout(text, sortKeys, indent).value('\n')
  }
  return escaped(text, options)
}

function escaped (text: string, options: UJSONOptions): string {
  const { ensureAscii = false, escapeForwardSlashes = true, encodeHtmlChars = false } = options
  // `/`, `<`, `>`, `&` and non-ASCII characters only ever appear inside JSON strings, so the
  // escapes can be applied to the whole text.
  if (escapeForwardSlashes) text = text.replaceAll('/', '\\/')
  if (encodeHtmlChars) text = text.replace(/[<>&]/g, unicodeEscape)
  if (ensureAscii) text = text.replace(/[\u0080-\uffff]/g, unicodeEscape)
  return text
}

function unicodeEscape (char: string): string {
  return '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0')
}

const quote = 0x22
const backslash = 0x5c
const punctuation = new Set(['{', '}', '[', ']', ':', ','])

/**
 * Lays out valid JSON text in `JSON.stringify`'s layout for `indent`, keys sorted as the writer sorts
 * them, every token copied as it is: parsing it would round big integers and move integer-like keys
 * first.
 */
class Relayout {
  readonly #text: string
  readonly #sortKeys: boolean
  readonly #indent: string
  readonly #colon: string
  #at = 0

  constructor (text: string, sortKeys: boolean, indent: number) {
    this.#text = text
    this.#sortKeys = sortKeys
    this.#indent = ' '.repeat(indent)
    this.#colon = indent === 0 ? ':' : ': '
  }

  /** The next value, laid out at `newline`'s depth. */
  value (newline: string): string {
    const open = this.#next()
    if (open !== '{' && open !== '[') return open
    const close = open === '{' ? '}' : ']'
    const inner = newline + this.#indent
    if (this.#peek() === close) {
      this.#next()
      return open + close
    }
    const members: Array<[string, string]> = []
    do {
      if (open === '[') members.push(['', this.value(inner)])
      else {
        const key = this.#next()
        this.#next()
        members.push([JSON.parse(key), key + this.#colon + this.value(inner)])
      }
    } while (this.#next() === ',')
    if (this.#sortKeys && open === '{') members.sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    const texts = members.map(([, text]) => text)
    if (this.#indent === '') return open + texts.join(',') + close
    return open + inner + texts.join(',' + inner) + newline + close
  }

  /** The first character of the next token. */
  #peek (): string {
    while (this.#text.charCodeAt(this.#at) <= 0x20) this.#at++
    return this.#text[this.#at]
  }

  /** The next token: punctuation, a string, or a number or literal; whitespace skipped. */
  #next (): string {
    this.#peek()
    const text = this.#text
    const start = this.#at
    let end = start + 1
    if (text.charCodeAt(start) === quote) {
      while (text.charCodeAt(end) !== quote) end += text.charCodeAt(end) === backslash ? 2 : 1
      end++
    } else if (!punctuation.has(text[start])) {
      while (end < text.length && text.charCodeAt(end) > 0x20 && !punctuation.has(text[end])) end++
    }
    this.#at = end
    return text.slice(start, end)
  }
}
