// What a response needs from the app it is sent in: the app's serializers and policies.
import { Readable } from 'node:stream'
import type { FileOptions } from './file-options.js'
import type { RedirectPolicy } from './url.js'
import type { SerializerRegistry } from './serializers.js'

export interface ResponseContext {
  serializers: SerializerRegistry
  redirect: RedirectPolicy | undefined
  /** App-wide FileResponse defaults (plugin option `file`). */
  file?: FileOptions
}

/** What `Response[kRespond]` hands to Fastify's `reply.send`. */
export type ResponsePayload = string | Uint8Array | Readable | ReadableStream | undefined

/**
 * A payload that sends nothing and leaves content-length as the response set it (or absent).
 * `undefined` would not: Fastify's automatic HEAD route answers it with `content-length: 0`.
 */
export function emptyBody (): Readable {
  return Readable.from([])
}
