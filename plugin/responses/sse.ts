// FastAPI's EventSourceResponse: a stream of server-sent events. Plain items are sent as
// `data: <json>`, ServerSentEvent items with all their fields; a `: ping` comment keeps the
// connection alive through proxies while the source is silent.
import { FST_RESPONSES_INVALID_OPTION } from '../errors.js'
import type { Exchange } from '../lib/context.js'
import { isTimerDelay } from '../lib/timer-delay.js'
import { defaultSerializers, type SerializerRegistry } from '../json/serializers.js'
import { formatData, formatEvent, ServerSentEvent } from '../http/sse.js'
import type { Puller } from '../stream/puller.js'
import { type Chunk, type KeepAliveChunk, openSource, type Source } from '../stream/source.js'
import { checkRendered, type ResponseOptions } from './response.js'
import { type StreamSource, StreamingResponse } from './streaming.js'

/** A source, or a function of the response's AbortSignal and the request's `last-event-id` (to resume from). */
export type EventStreamSource<T = unknown> = Source<T> | ((signal: AbortSignal, lastEventId: string | undefined) => Source<T>)

export interface EventSourceOptions extends Omit<ResponseOptions, 'mediaType'> {
  /** Milliseconds of silence before a `: ping` comment is sent; 0 turns it off. Default 15000. */
  ping?: number
}

// `: ping\n\n`, rendered once: a comment, which clients ignore (it has no data to serialize).
const PING = formatEvent(new ServerSentEvent({ comment: 'ping' }), JSON.stringify)

// Caches and proxies (nginx buffers unless told not to) must pass each event on as it comes.
const streamHeaders = { 'cache-control': 'no-cache', 'x-accel-buffering': 'no' }

export class EventSourceResponse extends StreamingResponse {
  static override mediaType: string | undefined = 'text/event-stream'

  ping: number

  constructor (source: EventStreamSource, options: EventSourceOptions = {}) {
    const { ping = 15000, ...rest } = options
    if (!isTimerDelay(ping)) throw new FST_RESPONSES_INVALID_OPTION('ping must be a number of milliseconds, or 0 for none')
    super(source as StreamSource<Chunk>, rest)
    this.ping = ping
  }

  override renderChunk (item: unknown, serializers: SerializerRegistry = defaultSerializers): string {
    const serialize = serializers.get('application/json')
    const json = (value: unknown): string | Uint8Array => checkRendered(this, serialize(value))
    return item instanceof ServerSentEvent ? formatEvent(item, json) : formatData(item, json)
  }

  protected override open (exchange: Exchange): Puller {
    const source = this.content as EventStreamSource
    const lastEventId = exchange.headers['last-event-id'] as string | undefined
    return openSource(typeof source === 'function' ? source(exchange.signal, lastEventId) : source)
  }

  protected override keepAlive (): KeepAliveChunk | undefined {
    return this.ping > 0 ? { ms: this.ping, chunk: PING } : undefined
  }

  protected override headerFields (): Record<string, string | string[]> {
    const fields = super.headerFields() as Record<string, string | string[]>
    for (const [name, value] of Object.entries(streamHeaders)) {
      if (!this.headers.has(name)) fields[name] = value
    }
    return fields
  }
}
