// Starlette's FileResponse: a file from disk with its stat headers (content-length,
// last-modified, Starlette's md5 ETag), single and multipart ranges, plus what Starlette leaves
// out: conditional requests (RFC 9110 §13), safe roots for user-chosen names, and HEAD without
// opening the file. The result is made only once the file is open and every check passed.
import type { IncomingHttpHeaders } from 'node:http'
import { extname } from 'node:path'
import send from '@fastify/send'
import { FST_RESPONSES_INVALID_CONTENT, FST_RESPONSES_INVALID_OPTION, FST_RESPONSES_PRECONDITION_FAILED } from '../errors.js'
import { contentDisposition } from '../lib/content-disposition.js'
import { emptyBody, type Exchange, type ResponseBody, type ResponseResult } from '../lib/context.js'
import { fileSize, type FileStats, mtimeSeconds, starletteEtag } from '../lib/etag.js'
import { FileSegmentsStream, readSegments, type Segment, segmentLength } from '../lib/file-body.js'
import { cacheControlFor, checkFileOptions, type FileOptions } from '../lib/file-options.js'
import { checkPath, closeQuietly, openFile, resolveUnderRoot, statFile } from '../lib/file-system.js'
import { multipartByteranges } from '../lib/multipart.js'
import { evaluatePreconditions, ifRangeMatches, type Validators } from '../lib/preconditions.js'
import { parseRange } from '../lib/range.js'
import { contentTypeFor, kRespond, noBufferedBody, Response, type ResponseOptions } from './response.js'

export interface FileResponseOptions extends ResponseOptions, FileOptions {
  /** The download name: sets Content-Disposition, and the content type is guessed from it first. */
  filename?: string
  /** Stats of the file, to skip the stat call (Starlette's `stat_result`). BigIntStats give Starlette's exact ETag. */
  stat?: FileStats
}

const DEFAULT_CHUNK_SIZE = 64 * 1024
const ENTITY_TAG = /^(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/

/** What a request gets: status, headers, and the bytes as segments (none for an empty body). */
interface Plan {
  statusCode: number
  headers: Record<string, string | string[]>
  segments: Segment[]
}

// Media types by extension, memoized: only extensions the MIME database knows are kept, so the
// map stays as small as the database however many names are guessed.
const knownTypes = new Map<string, string>()

function guessMediaType (name: string): string {
  const extension = extname(name).toLowerCase()
  let mediaType = knownTypes.get(extension)
  if (mediaType === undefined) {
    const guessed = send.mime.getType(name)
    if (guessed === null) return 'application/octet-stream'
    mediaType = guessed
    if (extension !== '') knownTypes.set(extension, mediaType)
  }
  return mediaType
}

function etagFor (option: FileOptions['etag'], stats: FileStats): string | undefined {
  if (option === false) return undefined
  if (typeof option === 'function') {
    const etag = option(stats)
    if (typeof etag !== 'string' || !ENTITY_TAG.test(etag)) {
      throw new FST_RESPONSES_INVALID_OPTION('etag() must return an entity tag such as "abc" or W/"abc"')
    }
    return etag
  }
  const strong = starletteEtag(stats)
  return option === 'weak' ? 'W/' + strong : strong
}

/** A 304 keeps the validators and cache headers, not the representation's content-* metadata. */
function notModifiedHeaders (headers: Plan['headers']): Plan['headers'] {
  const kept: Plan['headers'] = {}
  for (const name in headers) {
    if (!name.startsWith('content-') || name === 'content-location') kept[name] = headers[name] as string | string[]
  }
  return kept
}

export class FileResponse extends Response {
  readonly path: string
  readonly filename: string | undefined
  readonly stat: FileStats | undefined
  readonly #options: FileOptions
  readonly #contentType: string

  constructor (path: string, options: FileResponseOptions = {}) {
    const { statusCode, headers, mediaType, background, filename, stat, ...fileOptions } = options
    if (typeof path !== 'string') throw new FST_RESPONSES_INVALID_CONTENT('FileResponse takes a file path string')
    if (filename !== undefined && typeof filename !== 'string') throw new FST_RESPONSES_INVALID_OPTION('FileResponse filename must be a string')
    if (stat !== undefined && typeof stat?.isFile !== 'function') throw new FST_RESPONSES_INVALID_OPTION('FileResponse stat must be an fs.Stats or fs.BigIntStats')
    super(undefined, { statusCode, headers, mediaType: mediaType ?? guessMediaType(filename ?? path), background })
    this.path = path
    this.filename = filename
    this.stat = stat
    this.#options = checkFileOptions(fileOptions, 'FileResponse')
    this.#contentType = contentTypeFor(this.mediaType as string)
  }

  override get body (): Buffer {
    return noBufferedBody(this)
  }

  override async [kRespond] (exchange: Exchange): Promise<ResponseResult> {
    const defaults = exchange.app.file
    const options = defaults === undefined ? this.#options : { ...defaults, ...this.#options }
    const filePath = options.root === undefined || options.root === false ? checkPath(this.path) : await resolveUnderRoot(options.root, this.path, options.dotfiles ?? 'ignore')
    // HEAD never opens the file; with given stats it does not touch the disk at all.
    const opened = exchange.method === 'HEAD' ? undefined : await openFile(filePath, this.stat)
    const stats = opened?.stats ?? this.stat ?? await statFile(filePath)
    let plan: Plan
    try {
      plan = this.#plan(exchange.method, exchange.headers, options, stats, defaults)
    } catch (err) {
      if (opened !== undefined) closeQuietly(opened.fd)
      throw err
    }
    const body = opened === undefined ? emptyBody() : await this.#body(opened.fd, plan.segments, options.chunkSize ?? DEFAULT_CHUNK_SIZE)
    return { statusCode: plan.statusCode, headers: plan.headers, body }
  }

  /** Small bodies as one Buffer (one read), larger ones as a stream of chunkSize reads (closed with the response). */
  async #body (fd: number, segments: Segment[], chunkSize: number): Promise<ResponseBody> {
    let length = 0
    for (const segment of segments) length += segmentLength(segment)
    if (length <= chunkSize) {
      try {
        return length === 0 ? undefined : await readSegments(fd, segments, length)
      } finally {
        closeQuietly(fd)
      }
    }
    return new FileSegmentsStream(fd, segments, chunkSize)
  }

  #headers (options: FileOptions, stats: FileStats, size: number, defaults: FileOptions | undefined): Plan['headers'] {
    const headers: Plan['headers'] = { 'content-type': this.#contentType }
    if (options.acceptRanges !== false) headers['accept-ranges'] = 'bytes'
    headers['content-length'] = String(size)
    if (options.lastModified !== false) headers['last-modified'] = new Date(mtimeSeconds(stats) * 1000).toUTCString()
    const etag = etagFor(options.etag, stats)
    if (etag !== undefined) headers.etag = etag
    const cacheControl = cacheControlFor(this.#options) ?? (defaults === undefined ? undefined : cacheControlFor(defaults))
    if (cacheControl !== undefined) headers['cache-control'] = cacheControl
    if (this.filename !== undefined) headers['content-disposition'] = contentDisposition(options.contentDispositionType ?? 'attachment', this.filename)
    return Object.assign(headers, this.headers.toObject())
  }

  #plan (method: string, requestHeaders: IncomingHttpHeaders, options: FileOptions, stats: FileStats, defaults: FileOptions | undefined): Plan {
    const size = fileSize(stats)
    const headers = this.#headers(options, stats, size, defaults)
    const whole: Plan = { statusCode: this.statusCode, headers, segments: size === 0 ? [] : [{ start: 0, end: size - 1 }] }
    // Conditions and ranges are about the file itself: a file sent as, say, a 404 page ignores them.
    if (this.statusCode !== 200) return whole
    const validators: Validators = {
      etag: typeof headers.etag === 'string' ? headers.etag : undefined,
      lastModified: typeof headers['last-modified'] === 'string' ? headers['last-modified'] : undefined
    }
    if (options.conditional !== false) {
      const precondition = evaluatePreconditions(requestHeaders, method, validators)
      if (precondition === 412) throw new FST_RESPONSES_PRECONDITION_FAILED()
      if (precondition === 304) return { statusCode: 304, headers: notModifiedHeaders(headers), segments: [] }
    }
    const range = requestHeaders.range
    // Node joins a repeated if-range into one string.
    const ifRange = requestHeaders['if-range'] as string | undefined
    if (options.acceptRanges === false || range === undefined || (method !== 'GET' && method !== 'HEAD') ||
      (ifRange !== undefined && !ifRangeMatches(ifRange, validators))) {
      return whole
    }
    const ranges = parseRange(range, size, options.maxRanges ?? 100)
    if (ranges === undefined) return whole
    if (ranges.length === 1) {
      const [only] = ranges as [{ start: number, end: number }]
      headers['content-range'] = `bytes ${only.start}-${only.end}/${size}`
      headers['content-length'] = String(only.end - only.start + 1)
      return { statusCode: 206, headers, segments: ranges }
    }
    const multipart = multipartByteranges(ranges, size, String(headers['content-type']))
    headers['content-type'] = multipart.contentType
    headers['content-length'] = String(multipart.length)
    return { statusCode: 206, headers, segments: multipart.segments }
  }
}
