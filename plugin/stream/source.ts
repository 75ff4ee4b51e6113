// Stream sources: whatever StreamingResponse accepts (async or sync iterables, Node Readables,
// web ReadableStreams), reduced to one item at a time and a way to finalise the source early,
// then pumped lazily into a Node Readable: items are pulled only while the reader wants more
// (up to the stream's buffer), so a slow client holds back the source instead of filling memory.
import { Readable } from 'node:stream'
import { FST_RESPONSES_INVALID_SOURCE } from '../errors.js'
import { KeepAlive } from './keep-alive.js'
import { isPromise } from '../lib/promise.js'
import { closeSource, type Puller } from './puller.js'
import { readableItems } from './readable-source.js'

export type Chunk = string | Uint8Array
/**
 * Iterables that are content, not streams, which sources refuse at run time: a string (it iterates
 * its characters: `charAt`) and bytes (their numbers). Types cannot tell Uint8Array from the other
 * typed arrays, so all of them (`BYTES_PER_ELEMENT`) are refused here.
 */
interface NotContent {
  charAt?: never
  BYTES_PER_ELEMENT?: never
}

export type Source<T = unknown> = AsyncIterable<T> | (Iterable<T> & NotContent) | Readable | ReadableStream<T>

type SourceKind = 'readable' | 'web' | 'async' | 'sync'

/** What kind of source a value is. Strings and bytes are refused: they are content, not streams. */
function kindOf (value: unknown): SourceKind {
  if (typeof value === 'string' || value instanceof Uint8Array) throw new FST_RESPONSES_INVALID_SOURCE('a string or bytes is content, not a stream: use Response')
  if (value === null || typeof value !== 'object') throw new FST_RESPONSES_INVALID_SOURCE(`expected an iterable, a Readable or a ReadableStream, not ${value === null ? 'null' : typeof value}`)
  if (typeof (value as Readable).pipe === 'function' && typeof (value as Readable).destroy === 'function') return 'readable'
  if (typeof (value as ReadableStream).getReader === 'function') return 'web'
  if (Symbol.asyncIterator in value) return 'async'
  if (Symbol.iterator in value) return 'sync'
  throw new FST_RESPONSES_INVALID_SOURCE('expected an iterable, a Readable or a ReadableStream')
}

const ignore = (): void => {}

/**
 * Checks a source when a response is built on it. A Node Readable can fail before it is read (it
 * was destroyed, or failed as it started): that error is read from the stream once it is opened,
 * and must not be an unhandled 'error' event meanwhile, which would bring the process down.
 */
export function checkSource (value: unknown): void {
  if (kindOf(value) === 'readable') (value as Readable).on('error', ignore)
}

export function openSource (source: unknown): Puller {
  switch (kindOf(source)) {
    case 'readable':
      return readableItems(source as Readable)
    case 'web': {
      const reader = (source as ReadableStream).getReader()
      return { next: () => reader.read() as Promise<IteratorResult<unknown>>, close: () => reader.cancel() }
    }
    case 'async': {
      const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]()
      return { next: () => iterator.next(), close: () => iterator.return?.() }
    }
    case 'sync': {
      const iterator = (source as Iterable<unknown>)[Symbol.iterator]()
      return { next: () => iterator.next(), close: () => iterator.return?.() }
    }
  }
}

export type Encoder = (item: unknown) => Chunk

/** A chunk sent each time `ms` pass while the source is awaited (SSE's `: ping`). */
export interface KeepAliveChunk {
  ms: number
  chunk: Chunk
}

interface Opening {
  resolve: (stream: SourceStream) => void
  reject: (err: Error) => void
}

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
  // Set until `open` has settled: the first chunk (or keep-alive chunk, or end) settles it.
  #opening: Opening | undefined
  // Handed out by the first _read, so nothing more is pulled before the stream is being sent.
  #first: Chunk | undefined = undefined
  #keepAlive: KeepAlive | undefined

  private constructor (source: Puller, encode: Encoder, onCloseError: (err: Error) => void, keepAlive: KeepAliveChunk | undefined, opening: Opening) {
    super()
    this.#source = source
    this.#encode = encode
    this.#onCloseError = onCloseError
    this.#opening = opening
    if (keepAlive !== undefined) {
      this.#keepAlive = new KeepAlive(keepAlive.ms, () => {
        const wanted = this.push(keepAlive.chunk)
        // A source silent from the start: the headers go out with the keep-alive chunk.
        this.#opened()
        return wanted
      })
    }
  }

  /**
   * Pulls the first non-empty chunk before the stream is handed out, so a source that fails at
   * once rejects here (and the caller can answer with an ordinary error response) instead of
   * failing a response whose headers are already out. When `signal` aborts meanwhile (the client
   * left), the stream is destroyed, the source closed, and the stream handed out at once.
   * A keep-alive chunk is the first chunk when the source is silent that long.
   */
  static async open (source: Puller, encode: Encoder, onCloseError: (err: Error) => void, signal: AbortSignal, keepAlive?: KeepAliveChunk): Promise<SourceStream> {
    let stream!: SourceStream
    const opened = new Promise<SourceStream>((resolve, reject) => {
      stream = new SourceStream(source, encode, onCloseError, keepAlive, { resolve, reject })
    })
    const leave = (): void => { stream.destroy() }
    signal.addEventListener('abort', leave)
    stream.#pull()
    try {
      return await opened
    } finally {
      signal.removeEventListener('abort', leave)
    }
  }

  /** Settles `open` with the stream, once. */
  #opened (): void {
    const opening = this.#opening
    if (opening === undefined) return
    this.#opening = undefined
    opening.resolve(this)
  }

  override _read (): void {
    if (this.#first !== undefined) {
      const first = this.#first
      this.#first = undefined
      if (!this.push(first)) return
    }
    if (!this.#awaiting) this.#pull()
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

  /** Pushes the chunk of one result (holds the first); true when the stream wants another. */
  #accept (result: IteratorResult<unknown>): boolean {
    if (this.destroyed) return false
    if (result.done === true) {
      this.#sourceEnded = true
      this.#keepAlive?.stop()
      this.push(null)
      this.#opened()
      return false
    }
    let chunk: Chunk
    try {
      chunk = this.#encode(result.value)
    } catch (err) {
      this.#fail(err as Error, false)
      return false
    }
    if (chunk.length === 0) return true
    if (this.#opening === undefined) return this.push(chunk)
    this.#first = chunk
    this.#opened()
    return false
  }

  /**
   * A failure before the stream is handed out rejects `open` (the source closed unless it failed
   * by itself); after, it destroys the stream with the error. A stream already destroyed (the
   * client left) has nobody to tell.
   */
  #fail (err: Error, sourceFailed: boolean): void {
    if (sourceFailed) this.#sourceEnded = true
    if (this.destroyed) return
    const opening = this.#opening
    if (opening !== undefined) {
      this.#opening = undefined
      this.destroy()
      opening.reject(err)
      return
    }
    // Not from inside _read: the chunk Readable#read is about to hand out must reach the client first.
    process.nextTick(() => this.destroy(err))
  }

  override _destroy (err: Error | null, callback: (err: Error | null) => void): void {
    this.#keepAlive?.stop()
    if (!this.#sourceEnded) {
      this.#sourceEnded = true
      closeSource(this.#source, this.#onCloseError)
    }
    this.#opened()
    callback(err)
  }
}
