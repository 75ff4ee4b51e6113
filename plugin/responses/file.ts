// Starlette's FileResponse: a file from disk with its stat headers (content-length,
// last-modified, Starlette's md5 ETag), single and multipart ranges, plus what Starlette leaves
// out: conditional requests (RFC 9110 §13), safe roots for user-chosen names, and HEAD without
// opening the file. What is sent is planned by file/plan.ts; this class finds, opens and
// reads the file. The result is made only once the file is open and every check passed.
import mime from 'mime'
import {
  FST_RESPONSES_INVALID_CONTENT, FST_RESPONSES_INVALID_OPTION, FST_RESPONSES_PRECONDITION_FAILED, FST_RESPONSES_RANGE_MALFORMED,
  FST_RESPONSES_RANGE_NOT_SATISFIABLE
} from '../errors.js'
import { emptyBody, type Exchange, type ResponseBody, type ResponseResult } from '../lib/context.js'
import type { FileStats } from '../http/etag.js'
import { FileSegmentsStream, readSegments } from '../file/body.js'
import { checkFileOptions, type FileOptions, type FileSettings, withDefaults } from '../file/options.js'
import { type FileAnswer, type FilePlan, type FileRequestHeaders, planFileResponse } from '../file/plan.js'
import { checkPath, closeQuietly, openFile, resolveUnderRoot, statFile } from '../file/system.js'
import { type Segment, segmentLength } from '../http/segment.js'
import { contentTypeFor } from '../http/media-type.js'
import { kRespond, noBufferedBody, Response, type ResponseOptions } from './response.js'

// A type, not an interface: FileOptions is a union (cacheControl or maxAge/immutable).
export type FileResponseOptions = ResponseOptions & FileOptions & {
  /** The download name: sets Content-Disposition, and the content type is guessed from it first. */
  filename?: string
  /** Stats of the file, to skip the stat call (Starlette's `stat_result`). BigIntStats give Starlette's exact ETag. */
  stat?: FileStats
}

const DEFAULT_CHUNK_SIZE = 64 * 1024

/**
 * The type of a file by its name, from the MIME database, as browsers need it: JavaScript under
 * its RFC 9239 name (a `text/*` type, so with `charset=utf-8`), and JSON types with
 * `charset=utf-8`, which JSON always is (RFC 8259 §8.1), as `@fastify/static` sends them. XML
 * types get no charset: it would override the encoding the document declares (RFC 7303 §3.2).
 */
function guessMediaType (name: string): string {
  const type = mime.getType(name)
  if (type === null) return 'application/octet-stream'
  if (type === 'application/javascript' || type === 'application/ecmascript') return 'text/javascript'
  if (type === 'application/json' || type.endsWith('+json')) return type + '; charset=utf-8'
  return type
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
    const filePath = options.root === undefined || options.root === false ? checkPath(this.path) : await resolveUnderRoot(options.root, this.path, options.dotfiles ?? 'ignore')
    // HEAD never opens the file; with given stats it does not touch the disk at all.
    const opened = exchange.method === 'HEAD' ? undefined : await openFile(filePath, this.stat)
    const stats = opened?.stats ?? this.stat ?? await statFile(filePath)
    let plan: FileAnswer
    try {
      plan = answerOf(planFileResponse({
        method: exchange.method,
        // Node's types leave if-range open to string[]; Node gives it as one string.
        requestHeaders: exchange.headers as FileRequestHeaders,
        stats,
        options: this.#options,
        defaults: exchange.app.file,
        statusCode: this.statusCode,
        contentType: this.#contentType,
        filename: this.filename,
        responseHeaders: this.headers.toObject()
      }))
    } catch (err) {
      if (opened !== undefined) closeQuietly(opened.fd)
      throw err
    }
    // A part sent without the file's ETag is streamed, however short: an onSend hook that hashes
    // Buffer bodies into an ETag (@fastify/etag) would tag the part, not the file.
    const mayBuffer = plan.statusCode !== 206 || plan.headers.etag !== undefined
    const body = opened === undefined ? emptyBody() : await this.#body(opened.fd, plan.segments, options.chunkSize ?? DEFAULT_CHUNK_SIZE, mayBuffer)
    return { statusCode: plan.statusCode, headers: plan.headers, body, identity: true }
  }

  /** Small bodies as one Buffer (one read) where allowed, others as a stream of chunkSize reads (destroyed with the response). */
  async #body (fd: number, segments: Segment[], chunkSize: number, mayBuffer: boolean): Promise<ResponseBody> {
    let length = 0
    for (const segment of segments) length += segmentLength(segment)
    if (mayBuffer && length <= chunkSize) {
      try {
        return length === 0 ? undefined : await readSegments(fd, segments, length)
      } finally {
        closeQuietly(fd)
      }
    }
    return new FileSegmentsStream(fd, segments, chunkSize)
  }
}
