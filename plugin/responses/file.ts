// Starlette's FileResponse: a file from disk with its stat headers (content-length,
// last-modified, Starlette's md5 ETag), single and multipart ranges, plus what Starlette leaves
// out: conditional requests (RFC 9110 §13), safe roots for user-chosen names, and HEAD without
// opening the file. What is sent is planned by file/plan.ts; this class finds, opens and
// reads the file, or takes it from the app's cache. The result is made only once the file is
// open (or its copy found fresh) and every check passed.
import { Readable } from 'node:stream'
import mime from 'mime'
import {
  FST_RESPONSES_INVALID_CONTENT, FST_RESPONSES_INVALID_OPTION, FST_RESPONSES_PRECONDITION_FAILED, FST_RESPONSES_RANGE_MALFORMED,
  FST_RESPONSES_RANGE_NOT_SATISFIABLE
} from '../errors.js'
import { emptyBody, type Exchange, type ResponseBody, type ResponseResult } from '../lib/context.js'
import type { FileStats } from '../http/etag.js'
import { FileSegmentsStream, readSegments } from '../file/body.js'
import type { CacheSettings } from '../file/cache.js'
import { type FileSource, revalidated, trusted } from '../file/cached.js'
import { checkFileOptions, type FileOptions, type FileSettings, withDefaults } from '../file/options.js'
import { type FileAnswer, type FilePlan, type FileRequestHeaders, planFileResponse } from '../file/plan.js'
import { checkPath, closeQuietly, openFile, resolveUnderRoot, statFile } from '../file/system.js'
import { type Segment, segmentLength } from '../http/segment.js'
import { contentTypeFor } from '../http/media-type.js'
import { memoize } from '../lib/memoize.js'
import { kRespond, noBufferedBody, Response, type ResponseOptions } from './response.js'

// A type, not an interface: FileOptions is a union (cacheControl or maxAge/immutable).
export type FileResponseOptions = ResponseOptions & FileOptions & {
  /** The download name: sets Content-Disposition, and the content type is guessed from it first. */
  filename?: string
  /** Stats of the file, to skip the stat call (Starlette's `stat_result`). BigIntStats give Starlette's exact ETag. */
  stat?: FileStats
}

const DEFAULT_CHUNK_SIZE = 64 * 1024
// Where reads stop growing when no chunkSize is given: reads growing to 1 MiB measured slower
// on 10 MiB files (bench/results/2026-12-02T0704Z.json) and held more memory for slow readers.
const MAX_CHUNK_SIZE = 256 * 1024

/**
 * The type of a file by its name, from the MIME database, as browsers need it: JavaScript under
 * its RFC 9239 name (a `text/*` type, so with `charset=utf-8`), and JSON types with
 * `charset=utf-8`, which JSON always is (RFC 8259 §8.1), as `@fastify/static` sends them. XML
 * types get no charset: it would override the encoding the document declares (RFC 7303 §3.2).
 */
const guessMediaType = memoize((name: string): string => {
  const type = mime.getType(name)
  if (type === null) return 'application/octet-stream'
  if (type === 'application/javascript' || type === 'application/ecmascript') return 'text/javascript'
  if (type === 'application/json' || type.endsWith('+json')) return type + '; charset=utf-8'
  return type
}, 1024)

/** The parts of a cached file's bytes that the segments name, sent as one Buffer where allowed, else streamed. */
function bytesBody (bytes: Buffer, segments: Segment[], mayBuffer: boolean): ResponseBody {
  const parts = segments.map((segment) => Buffer.isBuffer(segment) ? segment : bytes.subarray(segment.start, segment.end + 1))
  if (parts.length === 0) return undefined
  if (!mayBuffer) return Readable.from(parts, { objectMode: false })
  return parts.length === 1 ? parts[0] : Buffer.concat(parts)
}

/** The plan's answer, or the package's error for a refusal (Fastify's error handler sends `error.headers`). */
function answerOf (plan: FilePlan): FileAnswer {
  if (!('refused' in plan)) return plan
  if (plan.refused === 412) throw new FST_RESPONSES_PRECONDITION_FAILED()
  if (plan.refused === 416) throw Object.assign(new FST_RESPONSES_RANGE_NOT_SATISFIABLE(), { headers: plan.headers })
  throw new FST_RESPONSES_RANGE_MALFORMED(plan.message)
}

export class FileResponse extends Response {
  readonly path: string
  readonly filename: string | undefined
  readonly stat: FileStats | undefined
  readonly #options: FileSettings
  readonly #contentType: string

  constructor (path: string, options: FileResponseOptions = {}) {
    const { statusCode, headers, mediaType, background, filename, stat, ...fileOptions } = options
    if (typeof path !== 'string') throw new FST_RESPONSES_INVALID_CONTENT('FileResponse takes a file path string')
    if (filename !== undefined && typeof filename !== 'string') throw new FST_RESPONSES_INVALID_OPTION('FileResponse filename must be a string')
    if (stat !== undefined && typeof stat?.isFile !== 'function') throw new FST_RESPONSES_INVALID_OPTION('FileResponse stat must be an fs.Stats or fs.BigIntStats')
    // An empty filename names nothing to guess from (Python's `filename or path`).
    super(undefined, { statusCode, headers, mediaType: mediaType ?? guessMediaType(filename === undefined || filename === '' ? path : filename), background })
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
    const options = withDefaults(this.#options, exchange.app.file)
    // Given stats are the programmer's: nothing to check a copy against.
    const cache = options.cache === undefined || options.cache === false || this.stat !== undefined ? undefined : options.cache
    const source = cache === undefined ? await this.#fromDisk(exchange.method, options) : await this.#fromCache(exchange, options, cache)
    let plan: FileAnswer
    try {
      plan = answerOf(planFileResponse({
        method: exchange.method,
        // Node's types leave if-range open to string[]; Node gives it as one string.
        requestHeaders: exchange.headers as FileRequestHeaders,
        stats: source.stats,
        options: this.#options,
        defaults: exchange.app.file,
        statusCode: this.statusCode,
        contentType: this.#contentType,
        filename: this.filename,
        responseHeaders: this.headers.toObject()
      }))
    } catch (err) {
      if (source.fd !== undefined) closeQuietly(source.fd)
      throw err
    }
    // A part sent without the file's ETag is streamed, however short: an onSend hook that hashes
    // Buffer bodies into an ETag (@fastify/etag) would tag the part, not the file.
    const mayBuffer = plan.statusCode !== 206 || plan.headers.etag !== undefined
    let body: ResponseBody
    if (source.fd !== undefined) body = await this.#body(source.fd, plan.segments, options.chunkSize, mayBuffer)
    else if (source.bytes !== undefined && exchange.method !== 'HEAD') body = bytesBody(source.bytes, plan.segments, mayBuffer)
    else body = emptyBody()
    return { statusCode: plan.statusCode, headers: plan.headers, body, identity: true }
  }

  #resolve (options: FileSettings): Promise<string> | string {
    return options.root === undefined || options.root === false ? checkPath(this.path) : resolveUnderRoot(options.root, this.path, options.dotfiles ?? 'ignore')
  }

  /** The file opened (its descriptor's stats), or only its stats for HEAD, which never opens it; with given stats HEAD does not touch the disk at all. */
  async #fromDisk (method: string, options: FileSettings): Promise<FileSource> {
    const resolved = this.#resolve(options)
    // A programmer's path is checked at once: no await, no extra turn of the microtask queue.
    const filePath = typeof resolved === 'string' ? resolved : await resolved
    if (method !== 'HEAD') return openFile(filePath, this.stat)
    return { stats: this.stat ?? await statFile(filePath) }
  }

  /**
   * The file from the app's cache. Revalidated (0): the root checks run as without the cache,
   * and the copy under the real path is used only if one stat finds it unchanged. Timed: a copy
   * checked less than `revalidate` ms ago is used without touching the disk, under the name as
   * given with the root and dotfiles policy, so the root checks' outcome is trusted exactly as long
   * as the bytes are.
   */
  async #fromCache (exchange: Exchange, options: FileSettings, settings: CacheSettings): Promise<FileSource> {
    const cache = exchange.app.fileCaches.for(settings)
    if (settings.revalidate === 0) {
      const filePath = await this.#resolve(options)
      return await revalidated(cache, filePath, filePath, exchange.method)
    }
    const key = options.root === undefined || options.root === false ? this.path : `${options.root}\0${options.dotfiles ?? 'ignore'}\0${this.path}`
    return trusted(cache, key, settings.revalidate) ?? await revalidated(cache, key, await this.#resolve(options), exchange.method)
  }

  /**
   * Small bodies as one Buffer (one read) where allowed, others as a stream (destroyed with the
   * response) of `chunkSize` reads, or, unset, of reads growing from 64 KiB to 256 KiB.
   */
  async #body (fd: number, segments: Segment[], chunkSize: number | undefined, mayBuffer: boolean): Promise<ResponseBody> {
    let length = 0
    for (const segment of segments) length += segmentLength(segment)
    if (mayBuffer && length <= (chunkSize ?? DEFAULT_CHUNK_SIZE)) {
      try {
        return length === 0 ? undefined : await readSegments(fd, segments, length)
      } finally {
        closeQuietly(fd)
      }
    }
    return new FileSegmentsStream(fd, segments, chunkSize ?? DEFAULT_CHUNK_SIZE, chunkSize ?? MAX_CHUNK_SIZE)
  }
}
