// Conditional requests, RFC 9110 §13.2.2 order: If-Match, If-Unmodified-Since, If-None-Match,
// If-Modified-Since. Then If-Range (§13.1.5), which only an exact strong validator satisfies.

export interface Validators {
  /** The ETag as sent, if any. */
  etag: string | undefined
  /** The Last-Modified header as sent, if any. */
  lastModified: string | undefined
}

export interface ConditionalHeaders {
  'if-match'?: string
  'if-none-match'?: string
  'if-modified-since'?: string
  'if-unmodified-since'?: string
}

/** What the preconditions decide: send the response, 304 Not Modified, or 412 Precondition Failed. */
export type Precondition = 'proceed' | 304 | 412

const ENTITY_TAG = /(?:W\/)?"[^"]*"/g

function isWeak (tag: string): boolean {
  return tag.startsWith('W/')
}

function opaque (tag: string): string {
  return isWeak(tag) ? tag.slice(2) : tag
}

/** Whether an If-Match / If-None-Match list matches the current tag (`*` matches any existing file). */
function listMatches (header: string, etag: string | undefined, strong: boolean): boolean {
  if (header.trim() === '*') return true
  if (etag === undefined || (strong && isWeak(etag))) return false
  for (const tag of header.match(ENTITY_TAG) ?? []) {
    if (strong ? tag === etag : opaque(tag) === opaque(etag)) return true
  }
  return false
}

/** Seconds since the epoch of an HTTP date, or undefined when it does not parse. */
function httpDateSeconds (value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000)
}

/** True when the file was modified after the date in `header` (false when either is unknown). */
function modifiedSince (header: string, validators: Validators): boolean | undefined {
  const since = httpDateSeconds(header)
  const modified = httpDateSeconds(validators.lastModified)
  return since === undefined || modified === undefined ? undefined : modified > since
}

export function evaluatePreconditions (headers: ConditionalHeaders, method: string, validators: Validators): Precondition {
  const ifMatch = headers['if-match']
  if (ifMatch !== undefined) {
    if (!listMatches(ifMatch, validators.etag, true)) return 412
  } else if (headers['if-unmodified-since'] !== undefined) {
    if (modifiedSince(headers['if-unmodified-since'], validators) === true) return 412
  }
  const safe = method === 'GET' || method === 'HEAD'
  const ifNoneMatch = headers['if-none-match']
  if (ifNoneMatch !== undefined) {
    if (listMatches(ifNoneMatch, validators.etag, false)) return safe ? 304 : 412
  } else if (safe && headers['if-modified-since'] !== undefined) {
    if (modifiedSince(headers['if-modified-since'], validators) === false) return 304
  }
  return 'proceed'
}

/** If-Range: the Range applies only when the value is exactly the current strong ETag or Last-Modified. */
export function ifRangeMatches (ifRange: string, validators: Validators): boolean {
  const { etag, lastModified } = validators
  return (etag !== undefined && !isWeak(etag) && ifRange === etag) || (lastModified !== undefined && ifRange === lastModified)
}
