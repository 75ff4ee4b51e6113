// Starlette's StreamingResponse and FastAPI's JSONLinesResponse: the body is pulled from a
// source item by item as the client reads it. A subclass changes how an item becomes bytes.
import { FST_RESPONSES_INVALID_CONTENT } from '../errors.js'
import { emptyBody, type Exchange, type ResponseResult } from '../lib/context.js'
import { defaultSerializers, type SerializerRegistry } from '../json/serializers.js'
import { closeSource, type Puller } from '../stream/puller.js'
import { type Chunk, checkSource, type KeepAliveChunk, openSource, type Source, SourceStream } from '../stream/source.js'
import { statusAllowsBody } from '../http/status.js'
import { checkRendered, describe, kRespond, noBufferedBody, Response, type ResponseOptions } from './response.js'

/** A source, or a function of the response's AbortSignal that returns one (called when the response is sent). */
export type StreamSource<T = unknown> = Source<T> | ((signal: AbortSignal) => Source<T>)

export class StreamingResponse extends Response {
  /** Items are strings or bytes; a subclass whose `renderChunk` takes other values declares a constructor that takes them. */
  constructor (source: StreamSource<Chunk>, options?: ResponseOptions) {
    if (typeof source !== 'function') checkSource(source)
    super(source, options)
  }

  override get body (): Buffer {
    return noBufferedBody(this)
  }

  /** Turns one item of the source into bytes. Override it to stream another format. */
  renderChunk (item: unknown, _serializers: SerializerRegistry = defaultSerializers): Chunk {
    if (typeof item === 'string' || item instanceof Uint8Array) return item
    throw new FST_RESPONSES_INVALID_CONTENT(`${this.constructor.name} streams strings and bytes, not ${describe(item)}`)
  }

  /** The source's items; a function source is called here, with what the request offers it. */
  protected open (exchange: Exchange): Puller {
    const source = this.content as StreamSource
    return openSource(typeof source === 'function' ? source(exchange.signal) : source)
  }

  /** What to send while the source is silent: nothing for a plain stream. */
  protected keepAlive (): KeepAliveChunk | undefined {
    return undefined
  }

  override async [kRespond] (exchange: Exchange): Promise<ResponseResult> {
    const onCloseError = (err: Error): void => exchange.log.error({ err }, 'closing the stream source failed')
    // No body on the wire (HEAD, a status without one), or nobody left to read it (the client went
    // away before the response was sent): the source is finalised unread, a function source not
    // even called (an endless one would never end). The GET response has no content-length: HEAD
    // must not announce one either.
    if (exchange.method === 'HEAD' || !statusAllowsBody(this.statusCode) || exchange.signal.aborted) {
      if (typeof this.content !== 'function') closeSource(openSource(this.content), onCloseError)
      return { statusCode: this.statusCode, headers: this.headerFields(), body: emptyBody() }
    }
    const encode = (item: unknown): Chunk => this.renderChunk(item, exchange.app.serializers)
    const stream = await SourceStream.open(this.open(exchange), encode, onCloseError, exchange.signal, this.keepAlive())
    return { statusCode: this.statusCode, headers: this.headerFields(), body: stream }
  }
}

/** FastAPI's JSONLinesResponse: each item as one line of compact JSON. */
export class JSONLinesResponse extends StreamingResponse {
  static override mediaType: string | undefined = 'application/jsonl'

  /** Items of any kind: each is rendered as JSON. */
  constructor (source: StreamSource, options?: ResponseOptions) {
    super(source as StreamSource<Chunk>, options)
  }

  override renderChunk (item: unknown, serializers: SerializerRegistry = defaultSerializers): Chunk {
    const json = checkRendered(this, serializers.get('application/json')(item))
    return typeof json === 'string' ? json + '\n' : Buffer.concat([json, NEWLINE])
  }
}

const NEWLINE = Buffer.from('\n')
