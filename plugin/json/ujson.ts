// ujson-style JSON, as FastAPI's UJSONResponse sends it (`ujson.dumps(content, ensure_ascii=False)`):
// compact, UTF-8, `/` escaped as `\/`; with ujson's options. NaN and ±Infinity are errors, as in
// the standard serializer (JSON has no way to write them).
import { FST_RESPONSES_INVALID_OPTION } from '../errors.js'
import { strictJson } from './standard.js'
import { writeJson } from './writer.js'

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
  const { ensureAscii = false, escapeForwardSlashes = true, encodeHtmlChars = false, sortKeys = false, indent = 0 } = options
  let text = sortKeys
    ? writeJson(content, { extendedTypes: false, nonFinite: 'error', sortKeys, indent })
    : strictJson(content, indent)
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
