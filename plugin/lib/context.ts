// What a response reads while it is sent (the request, the app's settings, its own lifetime) and
// the plain result it answers with. Responses never touch the Fastify reply: the adapter
// (fastify/adapter.ts) builds the exchange and applies the result.
import type { IncomingHttpHeaders } from 'node:http'
import { Readable } from 'node:stream'
import type { FileCaches } from '../file/cache.js'
import type { FileSettings } from '../file/options.js'
import type { SchemaSerializer } from '../json/schema.js'
import type { RedirectPolicy } from '../http/url.js'
import type { SerializerRegistry } from '../json/serializers.js'

/** The app's settings a response uses: its serializers and policies. */
export interface ResponseContext {
  serializers: SerializerRegistry
  redirect: RedirectPolicy | undefined
  /** App-wide FileResponse defaults (plugin option `file`). */
  file?: FileSettings
  /** The app's file cache stores (option `cache`), emptied when the app closes. */
  fileCaches: FileCaches
}

/** A response body: bytes, a stream, or nothing. */
export type ResponseBody = string | Uint8Array | Readable | ReadableStream | undefined

/** What a response sends: `@fastify/send`'s shape, applied to the reply by the adapter. */
export interface ResponseResult {
  statusCode: number
  /** Lowercase names; these win over headers that hooks or plugins set on the reply. */
  headers: Record<string, string | string[]> | undefined
  body: ResponseBody
  /**
   * The body is the exact bytes its ETag, ranges and content-length describe: it reaches the
   * client without a content coding added on the way (on-the-fly compression).
   */
  identity?: boolean
}

export interface Logger {
  error (object: object, message: string): void
}

/** One response being sent: what it may read of the request and the app. */
export interface Exchange {
  readonly method: string
  readonly headers: IncomingHttpHeaders
  /** `scheme://host` of the request, as the client addressed it. */
  readonly origin: string
  readonly app: ResponseContext
  /** Aborts once the response is over: sent whole, the client gone, or replaced by an error. */
  readonly signal: AbortSignal
  readonly log: Logger
  /** The serializer Fastify compiled from the route's response schema for this status, if any. */
  routeSerializer (statusCode: number): SchemaSerializer | undefined
}

/**
 * A body that sends nothing and leaves content-length as the response set it (or absent).
 * `undefined` would not: Fastify's automatic HEAD route answers it with `content-length: 0`.
 */
export function emptyBody (): Readable {
  return Readable.from([])
}
