// Set-Cookie values with Starlette's defaults and the checks browsers apply silently
// (prefix rules, Partitioned needs Secure). Serialization itself is the `cookie` library's.
import { serialize } from 'cookie'
import { FST_RESPONSES_INVALID_COOKIE } from '../errors.js'
import { isToken } from './headers.js'

export type SameSite = 'lax' | 'strict' | 'none'

export interface CookieOptions {
  /** Seconds until expiry (`Max-Age`). */
  maxAge?: number
  /** A Date, a number of seconds from now, or an HTTP date string. */
  expires?: Date | number | string
  path?: string | null
  domain?: string
  secure?: boolean
  httpOnly?: boolean
  /** `null` sends no SameSite attribute (Starlette's `samesite=None`). */
  sameSite?: SameSite | Capitalize<SameSite> | null
  partitioned?: boolean
  priority?: 'low' | 'medium' | 'high'
}

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_OR_SEMICOLON = /[\0-\x1f\x7f;]/
// What a cookie value can carry as is: RFC 6265 §4.1.1's cookie-octet, so no space, `"`, `,`,
// `;`, `\` or non-ASCII. Anything else is percent-encoded, which cookie parsers decode by default;
// `%` is encoded too, so that a parser decodes every value back to exactly what was set (and a
// value in quotes keeps them: parsers strip a pair of `"` around a raw value).
const NOT_COOKIE_OCTET = /[^\x21\x23\x24\x26-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]/gu
const SAME_SITE = new Set(['lax', 'strict', 'none'])
const COOKIE_OPTIONS = new Set(['maxAge', 'expires', 'path', 'domain', 'secure', 'httpOnly', 'sameSite', 'partitioned', 'priority'])

function invalid (reason: string): never {
  throw new FST_RESPONSES_INVALID_COOKIE(reason)
}

function encodeCookieValue (value: string): string {
  if (CONTROL_OR_SEMICOLON.test(value)) invalid('a value must not contain ";" or control characters')
  try {
    return value.replace(NOT_COOKIE_OCTET, encodeURIComponent)
  } catch {
    return invalid('a value must be well-formed Unicode')
  }
}

function toExpiryDate (expires: Date | number | string): Date {
  const date = expires instanceof Date
    ? expires
    : typeof expires === 'number' ? new Date(Date.now() + expires * 1000) : new Date(expires)
  if (Number.isNaN(date.getTime())) invalid('expires must be a valid Date, a number of seconds or an HTTP date')
  return date
}

export function serializeCookie (key: string, value: string = '', options: CookieOptions = {}): string {
  // An option this function does not know (`signed`, a misspelt one) would be dropped silently.
  for (const name of Object.keys(options)) {
    if (!COOKIE_OPTIONS.has(name)) invalid(`unknown option ${JSON.stringify(name)}`)
  }
  const {
    maxAge, expires, path = '/', domain, secure = false, httpOnly = false,
    sameSite = 'lax', partitioned = false, priority
  } = options
  if (!isToken(key)) invalid('a name must be an HTTP token (letters, digits and !#$%&\'*+-.^_`|~)')
  if (typeof value !== 'string') invalid('a value must be a string')
  const site = sameSite === null ? undefined : String(sameSite).toLowerCase()
  if (site !== undefined && !SAME_SITE.has(site)) invalid('sameSite must be "lax", "strict", "none" or null')
  if (maxAge !== undefined && !Number.isInteger(maxAge)) invalid('maxAge must be an integer number of seconds')
  if (partitioned && !secure) invalid('partitioned cookies must be secure')
  if (site === 'none' && !secure) invalid('sameSite "none" requires secure')
  if (key.startsWith('__Secure-') && !secure) invalid('a "__Secure-" cookie must be secure')
  if (key.startsWith('__Host-') && (!secure || path !== '/' || domain !== undefined)) {
    invalid('a "__Host-" cookie must be secure, with path "/" and no domain')
  }
  try {
    return serialize(key, encodeCookieValue(value), {
      encode: (v: string) => v,
      maxAge,
      expires: expires === undefined ? undefined : toExpiryDate(expires),
      path: path ?? undefined,
      domain,
      secure,
      httpOnly,
      sameSite: site as SameSite | undefined,
      partitioned,
      priority
    })
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_RESPONSES_INVALID_COOKIE') throw err
    // `cookie` explains which part is invalid (domain, path, priority)
    return invalid((err as Error).message)
  }
}

/** Starlette's delete_cookie: the same cookie, empty, expired now. */
export function serializeDeletedCookie (key: string, options: Omit<CookieOptions, 'maxAge' | 'expires'> = {}): string {
  return serializeCookie(key, '', { ...options, maxAge: 0, expires: new Date(0) })
}
