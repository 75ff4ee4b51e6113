// Stream sources: whatever StreamingResponse accepts (async or sync iterables, Node Readables,
// web ReadableStreams), reduced to one item at a time and a way to finalise the source early,
// then pumped lazily into a Node Readable: items are pulled only while the reader wants more
// (up to the stream's buffer), so a slow client holds back the source instead of filling memory.
import { Readable } from 'node:stream'
import { FST_RESPONSES_INVALID_SOURCE } from '../errors.js'
import { KeepAlive } from './keep-alive.js'
import { isPromise } from './promise.js'
import { readableItems } from './readable-source.js'

export type Chunk = string | Uint8Array
export type Source<T = unknown> = AsyncIterable<T> | Iterable<T> | Readable | ReadableStream<T>

/** One item at a time from a source; `close` finalises it before its end (generator `finally`, destroy, cancel). */
export interface Puller<T = unknown> {
  next (): IteratorResult<T> | Promise<IteratorResult<T>>
  close (): unknown
}

function isNodeReadable (value: object): value is Readable {
  return typeof (value as Readable).pipe === 'function' && typeof (value as Readable).destroy === 'function'
}

function isWebStream (value: object): value is ReadableStream {
  return typeof (value as ReadableStream).getReader === 'function'
}

/** Why a value is not a source, or undefined when it is one. Strings and bytes are refused: they are content, not streams. */
export function sourceProblem (value: unknown): string | undefined {
  if (typeof value === 'string' || value instanceof Uint8Array) return 'a string or bytes is content, not a stream: use Response'
  if (value === null || typeof value !== 'object') return `expected an iterable, a Readable or a ReadableStream, not ${value === null ? 'null' : typeof value}`
  if (isNodeReadable(value) || isWebStream(value) || Symbol.asyncIterator in value || Symbol.iterator in value) return undefined
  return 'expected an iterable, a Readable or a ReadableStream'
}

export function openSource (source: unknown): Puller {
  const problem = sourceProblem(source)
  if (problem !== undefined) throw new FST_RESPONSES_INVALID_SOURCE(problem)
  if (isNodeReadable(source as object)) return readableItems(source as Readable)
  if (isWebStream(source as object)) {
    const reader = (source as ReadableStream).getReader()
    return { next: () => reader.read() as Promise<IteratorResult<unknown>>, close: () => reader.cancel() }
  }
  const iterator: Iterator<unknown> | AsyncIterator<unknown> = Symbol.asyncIterator in (source as object)
    ? (source as AsyncIterable<unknown>)[Symbol.asyncIterator]()
    : (source as Iterable<unknown>)[Symbol.iterator]()
  return { next: () => iterator.next(), close: () => iterator.return?.() }
}

export type Encoder = (item: unknown) => Chunk

/** A chunk sent each time `ms` pass while the source is awaited (SSE's `: ping`). */
export interface KeepAliveChunk {
  ms: number
  chunk: Chunk
}

const SILENT = Symbol('silent')

/**
 * The chunks of a source as a Node Readable, pulled as the reader wants them; a failure of the source
 * or of `encode` destroys the stream with that error; destroying it early closes the source.
 * With a keep-alive chunk, that chunk is sent whenever the source has been awaited that long.
 */
export class SourceStream extends Readable {
  #source: Puller
  #encode: Encoder
  #onCloseError: (err: Error) => void
  #sourceEnded = false
  // A promise of the source is pending: its callback goes on pulling, _read must not pull too.
  #awaiting = false
  // Handed out by the first _read, so nothing more is pulled before the stream is being sent.
  #first: Chunk | null | undefined = undefined
  // The item still awaited when the keep-alive chunk came first: the first _read goes on with it.
  #carried: Promise<IteratorResult<unknown>> | undefined
  #keepAlive: KeepAlive | undefined
  #keepAliveChunk: Chunk | undefined

  private constructor (source: Puller, encode: Encoder, onCloseError: (err: Error) => void, keepAlive: KeepAliveChunk | undefined) {
    super()
    this.#source = source
    this.#encode = encode
    this.#onCloseError = onCloseError
    if (keepAlive !== undefined) {
      this.#keepAliveChunk = keepAlive.chunk
      this.#keepAlive = new KeepAlive(keepAlive.ms, () => this.push(keepAlive.chunk))
    }
  }

  /**
   * Pulls the first non-empty chunk before the stream is handed out, so a source that fails at
   * once rejects here (and the caller can answer with an ordinary error response) instead of
   * failing a response whose headers are already out. When `signal` aborts meanwhile (the client
   * left), the stream is destroyed and the source closed without waiting for that chunk.
   * A keep-alive chunk is the first chunk when the source is silent that long.
   */
  static async open (source: Puller, encode: Encoder, onCloseError: (err: Error) => void, signal: AbortSignal, keepAlive?: KeepAliveChunk): Promise<SourceStream> {
    const stream = new SourceStream(source, encode, onCloseError, keepAlive)
    const leave = (): void => { stream.destroy() }
    signal.addEventListener('abort', leave)
    try {
      stream.#first = await stream.#firstChunk()
    } catch (err) {
      // A source closed because the client left may fail as it closes: nobody is there to tell.
      if (stream.destroyed) return stream
      stream.#closeSource()
      throw err
    } finally {
      signal.removeEventListener('abort', leave)
    }
    return stream
  }

  async #firstChunk (): Promise<Chunk | null> {
    for (;;) {
      let result: IteratorResult<unknown> | typeof SILENT
      let next: IteratorResult<unknown> | Promise<IteratorResult<unknown>> | undefined
      try {
        next = this.#source.next()
        result = await this.#orSilence(next)
      } catch (err) {
        this.#sourceEnded = true
        throw err
      }
      if (result === SILENT) {
        this.#carried = next as Promise<IteratorResult<unknown>>
        return this.#keepAliveChunk as Chunk
      }
      if (result.done === true) {
        this.#sourceEnded = true
        return null
      }
      const chunk = this.#encode(result.value)
      if (chunk.length > 0) return chunk
    }
  }

  /** The pending item, or SILENT when the keep-alive time passes first. */
  #orSilence (next: IteratorResult<unknown> | Promise<IteratorResult<unknown>>): IteratorResult<unknown> | Promise<IteratorResult<unknown> | typeof SILENT> {
    const keepAlive = this.#keepAlive
    if (keepAlive === undefined || !isPromise(next)) return next
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, keepAlive.ms, SILENT)
      next.then(resolve, reject).finally(() => clearTimeout(timer))
    })
  }

  override _read (): void {
    if (this.#first !== undefined) {
      const first = this.#first
      this.#first = undefined
      if (!this.push(first)) return
    }
    if (this.#carried !== undefined) {
      this.#await(this.#carried)
      this.#carried = undefined
    } else if (!this.#awaiting) {
      this.#pull()
    }
  }

  /**
   * Pulls items and pushes their chunks while the stream wants more (up to its highWaterMark, as
   * Readable.from does), in one loop for sync items, and on from the callback of an awaited one.
   */
  #pull (): void {
    for (;;) {
      let result: IteratorResult<unknown> | Promise<IteratorResult<unknown>>
      try {
        result = this.#source.next()
      } catch (err) {
        this.#fail(err as Error, true)
        return
      }
      if (isPromise(result)) {
        this.#await(result)
        return
      }
      if (!this.#accept(result)) return
    }
  }

  #await (result: Promise<IteratorResult<unknown>>): void {
    this.#awaiting = true
    this.#keepAlive?.waiting()
    result.then(this.#settled, this.#rejected)
  }

  // Bound once rather than a closure per item.
  readonly #settled = (result: IteratorResult<unknown>): void => {
    this.#awaiting = false
    this.#keepAlive?.answered()
    if (this.#accept(result)) this.#pull()
  }

  readonly #rejected = (err: Error): void => {
    this.#awaiting = false
    this.#keepAlive?.answered()
    this.#fail(err, true)
  }

  /** Pushes the chunk of one result; true when the stream wants another. */
  #accept (result: IteratorResult<unknown>): boolean {
    if (this.destroyed) return false
    if (result.done === true) {
      this.#sourceEnded = true
      this.#keepAlive?.stop()
      this.push(null)
      return false
    }
    let chunk: Chunk
    try {
      chunk = this.#encode(result.value)
    } catch (err) {
      this.#fail(err as Error, false)
      return false
    }
    return chunk.length === 0 || this.push(chunk)
  }

  /** Destroys the stream with the error; a source that failed by itself is over, with nothing to close. */
  #fail (err: Error, sourceFailed: boolean): void {
    if (sourceFailed) this.#sourceEnded = true
    // Not from inside _read: the chunk Readable#read is about to hand out must reach the client first.
    process.nextTick(() => this.destroy(err))
  }

  override _destroy (err: Error | null, callback: (err: Error | null) => void): void {
    this.#keepAlive?.stop()
    this.#closeSource()
    callback(err)
  }

  #closeSource (): void {
    if (this.#sourceEnded) return
    this.#sourceEnded = true
    closeSource(this.#source, this.#onCloseError)
  }
}

/** Finalises a source early; a failure to do so (a throwing `finally`) goes to `onError`. */
export function closeSource (source: Puller, onError: (err: Error) => void): void {
  let closing: unknown
  try {
    closing = source.close()
  } catch (err) {
    onError(err as Error)
    return
  }
  if (isPromise(closing)) closing.then(undefined, onError)
}
