// What a FileResponse sends, decided from the request and the file's stats alone: the status,
// the headers and the body as segments, or a refusal (412, 416, 400) that the caller turns into
// its error. No I/O and no framework, so every rule can be checked by calling it: Starlette's
// headers and ranges, RFC 9110's conditional requests (§13) and If-Range (§13.1.5).
import { FST_RESPONSES_INVALID_OPTION } from '../errors.js'
import { contentDisposition } from '../http/content-disposition.js'
import { fileSize, type FileStats, mtimeSeconds, starletteEtag } from '../http/etag.js'
import { cacheControlFor, type FileSettings, withDefaults } from './options.js'
import { multipartByteranges } from '../http/multipart.js'
import { type ConditionalHeaders, evaluatePreconditions, ifRangeMatches, type Validators } from '../http/preconditions.js'
import { type ByteRange, parseRange } from '../http/range.js'
import type { Segment } from '../http/segment.js'
import { memoize } from '../lib/memoize.js'

export type FileHeaders = Record<string, string | string[]>

/** The request headers the plan reads, each one string as Node gives them. */
export interface FileRequestHeaders extends ConditionalHeaders {
  range?: string
  'if-range'?: string
}

export interface FilePlanInput {
  method: string
  requestHeaders: FileRequestHeaders
  stats: FileStats
  /** The response's own file options. */
  options: FileSettings
  /** The app's (plugin option `file`), for every option the response leaves unset. */
  defaults?: FileSettings
  /** The response's status: conditions and ranges only apply to a 200. */
  statusCode: number
  /** The Content-Type of the file, and of each part of a multipart body. */
  contentType: string
  /** The download name, sent as Content-Disposition. */
  filename?: string
  /** The response's own headers: they win over the file's. */
  responseHeaders: FileHeaders
  /** The multipart/byteranges boundary, random unless given. */
  boundary?: string
}

/** What the request gets: status, headers, and the bytes as segments (none for an empty body). */
export interface FileAnswer {
  statusCode: number
  headers: FileHeaders
  segments: Segment[]
}

/** A request the file is not sent for, with what its error response carries. */
export type FileRefusal =
  | { refused: 412 }
  | { refused: 416, headers: { 'content-range': string } }
  | { refused: 400, message: string }

export type FilePlan = FileAnswer | FileRefusal

const DEFAULT_MAX_RANGES = 100
// A file served again has the same mtime: its HTTP date is formatted once.
const httpDate = memoize((seconds: number): string => new Date(seconds * 1000).toUTCString(), 1024)
const ENTITY_TAG = /^(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/

function etagFor (option: FileSettings['etag'], stats: FileStats): string | undefined {
  if (option === false) return undefined
  if (typeof option === 'function') {
    const etag = option(stats)
    // The programmer's mistake, not the request's: thrown like an invalid option.
    if (typeof etag !== 'string' || !ENTITY_TAG.test(etag)) {
      throw new FST_RESPONSES_INVALID_OPTION('etag() must return an entity tag such as "abc" or W/"abc"')
    }
    return etag
  }
  const strong = starletteEtag(stats)
  return option === 'weak' ? 'W/' + strong : strong
}

/** The headers of the whole file, then the response's own over them. */
function fileHeaders (input: FilePlanInput, options: FileSettings, size: number): FileHeaders {
  const headers: FileHeaders = { 'content-type': input.contentType }
  if (options.acceptRanges !== false) headers['accept-ranges'] = 'bytes'
  headers['content-length'] = String(size)
  if (options.lastModified !== false) headers['last-modified'] = httpDate(mtimeSeconds(input.stats))
  const etag = etagFor(options.etag, input.stats)
  if (etag !== undefined) headers.etag = etag
  // Cache-Control comes whole from the response's cache options, else from the app's: a
  // response's maxAge must not be overridden by an app-wide cacheControl.
  const cacheControl = cacheControlFor(input.options) ?? (input.defaults === undefined ? undefined : cacheControlFor(input.defaults))
  if (cacheControl !== undefined) headers['cache-control'] = cacheControl
  if (input.filename !== undefined) headers['content-disposition'] = contentDisposition(options.contentDispositionType ?? 'attachment', input.filename)
  return Object.assign(headers, input.responseHeaders)
}

/** A 304 keeps the validators and cache headers, not the representation's content-* metadata. */
function notModifiedHeaders (headers: FileHeaders): FileHeaders {
  const kept: FileHeaders = {}
  for (const name in headers) {
    if (!name.startsWith('content-') || name === 'content-location') kept[name] = headers[name] as string | string[]
  }
  return kept
}

/** The plan for one request. Throws only the programmer's errors: an etag() that returns no entity tag. */
export function planFileResponse (input: FilePlanInput): FilePlan {
  const options = withDefaults(input.options, input.defaults)
  const size = fileSize(input.stats)
  const headers = fileHeaders(input, options, size)
  const whole: FileAnswer = { statusCode: input.statusCode, headers, segments: size === 0 ? [] : [{ start: 0, end: size - 1 }] }
  // Conditions and ranges are about the file itself: a file sent as, say, a 404 page ignores them.
  if (input.statusCode !== 200) return whole

  const { method, requestHeaders } = input
  // The validators as sent, the response's own ETag included: those are what clients compare.
  const validators: Validators = {
    etag: typeof headers.etag === 'string' ? headers.etag : undefined,
    lastModified: typeof headers['last-modified'] === 'string' ? headers['last-modified'] : undefined
  }
  if (options.conditional !== false) {
    const precondition = evaluatePreconditions(requestHeaders, method, validators)
    if (precondition === 412) return { refused: 412 }
    if (precondition === 304) return { statusCode: 304, headers: notModifiedHeaders(headers), segments: [] }
  }

  const range = requestHeaders.range
  const ifRange = requestHeaders['if-range']
  if (options.acceptRanges === false || range === undefined || (method !== 'GET' && method !== 'HEAD') ||
    (ifRange !== undefined && !ifRangeMatches(ifRange, validators))) {
    return whole
  }
  const requested = parseRange(range, size, options.maxRanges ?? DEFAULT_MAX_RANGES)
  if ('ignored' in requested) return whole
  if ('malformed' in requested) return { refused: 400, message: requested.malformed }
  if ('unsatisfiable' in requested) return { refused: 416, headers: { 'content-range': `bytes */${size}` } }

  const { ranges } = requested
  if (ranges.length === 1) {
    const [only] = ranges as [ByteRange]
    headers['content-range'] = `bytes ${only.start}-${only.end}/${size}`
    headers['content-length'] = String(only.end - only.start + 1)
    return { statusCode: 206, headers, segments: ranges }
  }
  const multipart = multipartByteranges(ranges, size, String(headers['content-type']), input.boundary)
  headers['content-type'] = multipart.contentType
  headers['content-length'] = String(multipart.length)
  return { statusCode: 206, headers, segments: multipart.segments }
}
