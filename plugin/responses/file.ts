// Starlette's FileResponse: a file from disk with its stat headers (content-length,
// last-modified, Starlette's md5 ETag), single and multipart ranges, plus what Starlette leaves
// out: conditional requests (RFC 9110 §13), safe roots for user-chosen names, and HEAD without
// opening the file. What is sent is planned by lib/file-plan.ts; this class finds, opens and
// reads the file. Nothing is set on the reply until the file is open and every check passed.
import type { FastifyReply } from 'fastify'
import { extname } from 'node:path'
import send from '@fastify/send'
import {
  FST_RESPONSES_INVALID_CONTENT, FST_RESPONSES_INVALID_OPTION, FST_RESPONSES_PRECONDITION_FAILED, FST_RESPONSES_RANGE_MALFORMED,
  FST_RESPONSES_RANGE_NOT_SATISFIABLE
} from '../errors.js'
import { emptyBody, type ResponseContext, type ResponsePayload } from '../lib/context.js'
import type { FileStats } from '../lib/etag.js'
import { FileSegmentsStream, readSegments } from '../lib/file-body.js'
import { checkFileOptions, type FileOptions, withDefaults } from '../lib/file-options.js'
import { type FileAnswer, type FilePlan, type FileRequestHeaders, planFileResponse } from '../lib/file-plan.js'
import { checkPath, closeQuietly, openFile, resolveUnderRoot, statFile } from '../lib/file-system.js'
import { type Segment, segmentLength } from '../lib/segment.js'
import { contentTypeFor, kRespond, noBufferedBody, Response, type ResponseOptions } from './response.js'

export interface FileResponseOptions extends ResponseOptions, FileOptions {
  /** The download name: sets Content-Disposition, and the content type is guessed from it first. */
  filename?: string
  /** Stats of the file, to skip the stat call (Starlette's `stat_result`). BigIntStats give Starlette's exact ETag. */
  stat?: FileStats
}

const DEFAULT_CHUNK_SIZE = 64 * 1024

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

  override async [kRespond] (reply: FastifyReply, context: ResponseContext): Promise<ResponsePayload> {
    const options = withDefaults(this.#options, context.file)
    const request = reply.request
    const filePath = options.root === undefined || options.root === false ? checkPath(this.path) : await resolveUnderRoot(options.root, this.path, options.dotfiles ?? 'ignore')
    // HEAD never opens the file; with given stats it does not touch the disk at all.
    const opened = request.method === 'HEAD' ? undefined : await openFile(filePath, this.stat)
    const stats = opened?.stats ?? this.stat ?? await statFile(filePath)
    let plan: FileAnswer
    try {
      plan = answerOf(planFileResponse({
        method: request.method,
        // Node's types leave if-range open to string[]; Node gives it as one string.
        requestHeaders: request.headers as FileRequestHeaders,
        stats,
        options: this.#options,
        defaults: context.file,
        statusCode: this.statusCode,
        contentType: this.#contentType,
        filename: this.filename,
        responseHeaders: this.headers.toObject()
      }))
    } catch (err) {
      if (opened !== undefined) closeQuietly(opened.fd)
      throw err
    }
    const payload = opened === undefined ? emptyBody() : await this.#body(reply, opened.fd, plan.segments, options.chunkSize ?? DEFAULT_CHUNK_SIZE)
    reply.code(plan.statusCode)
    reply.headers(plan.headers)
    return payload
  }

  /** Small bodies as one Buffer (one read), larger ones as a stream of chunkSize reads. */
  async #body (reply: FastifyReply, fd: number, segments: Segment[], chunkSize: number): Promise<ResponsePayload> {
    let length = 0
    for (const segment of segments) length += segmentLength(segment)
    if (length <= chunkSize) {
      try {
        return length === 0 ? undefined : await readSegments(fd, segments, length)
      } finally {
        closeQuietly(fd)
      }
    }
    const stream = new FileSegmentsStream(fd, segments, chunkSize)
    // However the response ends (finished, aborted, replaced by an error), the descriptor is closed.
    reply.raw.once('close', () => stream.destroy())
    return stream
  }
}
