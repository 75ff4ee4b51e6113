// Starlette's Response, HTMLResponse and PlainTextResponse. A subclass changes one thing:
// its `mediaType`, or how it `render`s content.
import { FST_RESPONSES_INVALID_CONTENT } from '../errors.js'
import { type Background, toBackgroundTask } from '../lib/background.js'
import { type CookieOptions, serializeCookie, serializeDeletedCookie } from '../http/cookie.js'
import { checkHeaderValue, type HeadersInit, ResponseHeaders } from '../http/headers.js'
import { contentTypeFor } from '../http/media-type.js'
import { checkStatusCode, statusAllowsBody } from '../http/status.js'
import { defaultSerializers, type SerializerRegistry } from '../json/serializers.js'
import type { Exchange, ResponseResult } from '../lib/context.js'

export interface ResponseOptions {
  statusCode?: number
  headers?: HeadersInit | ResponseHeaders
  mediaType?: string
  background?: Background
}

/** What HTMLResponse and PlainTextResponse send as they are; null and undefined are an empty body. */
export type TextContent = string | Uint8Array | null | undefined

/** What a response sends for one exchange: its status, headers and body, as plain data. */
export const kRespond = Symbol('fastify-responses.respond')

export class Response {
  /** The media type instances get when the constructor is not given one. */
  static mediaType: string | undefined = undefined

  statusCode: number
  mediaType: string | undefined
  headers: ResponseHeaders
  background: Background | undefined
  /** What the response was built with; `render` turns it into the body. */
  readonly content: unknown

  constructor (content?: unknown, options: ResponseOptions = {}) {
    const { statusCode = 200, headers, mediaType, background } = options
    this.statusCode = checkStatusCode(statusCode, new.target)
    this.mediaType = mediaType === undefined ? (new.target as typeof Response).mediaType : checkHeaderValue('content-type', mediaType)
    this.headers = new ResponseHeaders(headers)
    toBackgroundTask(background)
    this.background = background
    this.content = content
  }

  /** Turns content into the bytes to send. Override it to write a custom response class. */
  render (content: unknown, serializers: SerializerRegistry = defaultSerializers): string | Uint8Array {
    if (content === null || content === undefined) return ''
    if (typeof content === 'string' || content instanceof Uint8Array) return content
    if (this.mediaType === undefined) {
      throw new FST_RESPONSES_INVALID_CONTENT(`${this.constructor.name} without a media type takes a string or bytes, not ${describe(content)}`)
    }
    return serializers.get(this.mediaType)(content)
  }

  /** The rendered bytes, as outside of any app (the app's serializers apply when sent). */
  get body (): Buffer {
    const rendered = renderChecked(this, defaultSerializers)
    return typeof rendered === 'string' ? Buffer.from(rendered) : Buffer.from(rendered.buffer, rendered.byteOffset, rendered.byteLength)
  }

  setCookie (key: string, value: string = '', options?: CookieOptions): this {
    this.headers.append('set-cookie', serializeCookie(key, value, options))
    return this
  }

  deleteCookie (key: string, options?: Omit<CookieOptions, 'maxAge' | 'expires'>): this {
    this.headers.append('set-cookie', serializeDeletedCookie(key, options))
    return this
  }

  [kRespond] (exchange: Exchange): ResponseResult | Promise<ResponseResult> {
    const body = this.renderFor(exchange)
    // No body at all keeps Fastify from adding a content type to an empty body; Fastify then
    // sends content-length 0 except where HTTP forbids one (status < 200, 204, 304), and derives
    // it from the body otherwise.
    return { statusCode: this.statusCode, headers: this.headerFields(), body: body.length === 0 || !statusAllowsBody(this.statusCode) ? undefined : body }
  }

  /** The body as sent: `render` with the app's serializers (JSON classes also read the route's schema). */
  protected renderFor (exchange: Exchange): string | Uint8Array {
    return renderChecked(this, exchange.app.serializers)
  }

  /** User headers, then the content type unless the user gave one (Starlette's init_headers). */
  protected headerFields (): Record<string, string | string[]> | undefined {
    const contentType = this.mediaType !== undefined && !this.headers.has('content-type') ? contentTypeFor(this.mediaType) : undefined
    if (this.headers.size === 0) return contentType === undefined ? undefined : { 'content-type': contentType }
    const fields = this.headers.toObject()
    if (contentType !== undefined) fields['content-type'] = contentType
    return fields
  }
}

export class HTMLResponse extends Response {
  static override mediaType: string | undefined = 'text/html'
}

export class PlainTextResponse extends Response {
  static override mediaType: string | undefined = 'text/plain'
}

/** `render` as sent: an override or a serializer that returns anything but text or bytes is an error. */
function renderChecked (response: Response, serializers: SerializerRegistry): string | Uint8Array {
  return checkRendered(response, response.render(response.content, serializers))
}

/** What `response` rendered (its `render`, a serializer it called), when it is text or bytes. */
export function checkRendered (response: Response, rendered: unknown): string | Uint8Array {
  if (typeof rendered !== 'string' && !(rendered instanceof Uint8Array)) {
    throw new FST_RESPONSES_INVALID_CONTENT(`${response.constructor.name} rendered ${describe(rendered)}, not a string or bytes`)
  }
  return rendered
}

/** `body` of a response whose bytes exist only while it is sent (a stream, a file), as Starlette's have none. */
export function noBufferedBody (response: Response): never {
  throw new FST_RESPONSES_INVALID_CONTENT(`${response.constructor.name} has no body: its content is read as it is sent`)
}

export function describe (value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  return value.constructor?.name ?? 'object'
}
