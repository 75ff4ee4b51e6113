// The bytes of a file response's segments, read from an open file. Small bodies are read into
// one Buffer; larger ones stream chunk by chunk, pulled by the socket (backpressure), and the
// descriptor is closed when the stream ends, fails or is destroyed, never while a read is in flight.
// Reads may grow: each one doubles while the client keeps up (when it completes, the response
// it is piped to has sent everything), and falls back to the first size when bytes are still
// unsent, as does any read ahead of a response that holds unsent bytes. A fast client gets large
// reads (fewer calls, fewer chunks); a slow one holds at most one large chunk and small ones.
// A read goes into the buffer of an earlier read once the response has sent that buffer's bytes:
// a fresh buffer per read made the garbage collector's major marking a sixth of the server's time
// on 10 MiB files (with reuse: 2.02× the requests over HTTP/1.1, bench/results/2026-12-02T0839Z.json,
// and 1.31× over HTTP/2, bench/results/2026-12-02T0944Z.json).
import fs from 'node:fs'
import { ServerResponse } from 'node:http'
import { Http2ServerResponse } from 'node:http2'
import { Readable } from 'node:stream'
import { FST_RESPONSES_FILE_UNREADABLE } from '../errors.js'
import { settle } from './system.js'
import type { Segment } from '../http/segment.js'

// Buffers kept for reuse per stream: one per read size (64, 128, 256 KiB) of a growing stream.
const REUSABLE_BUFFERS = 3

function shrank (): Error {
  return unreadable(new Error('the file became shorter while it was read'))
}

function unreadable (cause: Error): Error {
  return new FST_RESPONSES_FILE_UNREADABLE({ cause })
}

function readAt (fd: number, buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise<number>((resolve, reject) => fs.read(fd, buffer, offset, length, position, settle(resolve, reject)))
    .catch((err: Error) => { throw unreadable(err) })
}

/** Reads every segment into one Buffer of `length` bytes. */
export async function readSegments (fd: number, segments: Segment[], length: number): Promise<Buffer> {
  const body = Buffer.allocUnsafe(length)
  let offset = 0
  for (const segment of segments) {
    if (Buffer.isBuffer(segment)) {
      offset += segment.copy(body, offset)
      continue
    }
    for (let position = segment.start; position <= segment.end;) {
      const bytesRead = await readAt(fd, body, offset, segment.end - position + 1, position)
      if (bytesRead === 0) throw shrank()
      offset += bytesRead
      position += bytesRead
    }
  }
  return body
}

export class FileSegmentsStream extends Readable {
  readonly #fd: number
  readonly #segments: Segment[]
  readonly #chunkSize: number
  readonly #maxChunkSize: number
  #readSize: number
  #destination: NodeJS.WritableStream | undefined
  /** Buffers whose chunks were pushed, oldest first, each with the count of bytes pushed up to its end. */
  readonly #pushedBuffers: Array<{ buffer: Buffer, end: number }> = []
  #pushed = 0
  #index = 0
  #position: number
  #reading = false
  #closeAfterRead: (() => void) | undefined

  /** Reads of `chunkSize` bytes, growing up to `maxChunkSize` (no growth when equal). */
  constructor (fd: number, segments: Segment[], chunkSize: number, maxChunkSize = chunkSize) {
    super({ highWaterMark: chunkSize })
    this.#fd = fd
    this.#segments = segments
    this.#chunkSize = chunkSize
    this.#maxChunkSize = maxChunkSize
    this.#readSize = chunkSize
    this.#position = this.#startOf(0)
  }

  override pipe<T extends NodeJS.WritableStream> (destination: T, options?: { end?: boolean }): T {
    this.#destination ??= destination
    return super.pipe(destination, options)
  }

  /** What the destination holds unsent (not piped: unknown, so no growth). */
  #unsent (): number {
    return this.#destination === undefined ? Infinity : (this.#destination as unknown as { writableLength: number }).writableLength
  }

  /**
   * How many of the bytes pushed have left for the socket, where that is known: piped to Node's
   * own response alone (`http.ServerResponse` and `Http2ServerResponse` count every byte they hold,
   * headers included, until the socket took it, copy none, and send in order). Behind a transform
   * (compression), with a second reader or `data` listener, chunks may be kept: none is known sent.
   */
  #sentBytes (): number {
    const destination = this.#destination
    if (!(destination instanceof ServerResponse || destination instanceof Http2ServerResponse) || this.listenerCount('data') !== 1) return 0
    return this.#pushed - this.readableLength - destination.writableLength
  }

  /** A buffer of at least `length` bytes: an earlier read's whose bytes were sent, else a new one. */
  #bufferFor (length: number): Buffer {
    const sent = this.#sentBytes()
    const index = this.#pushedBuffers.findIndex(({ buffer, end }) => end <= sent && buffer.length >= length)
    return index === -1 ? Buffer.allocUnsafeSlow(length) : this.#pushedBuffers.splice(index, 1)[0].buffer
  }

  /** Pushes `chunk`, counted; `buffer`, the whole buffer a read went into, is kept for a later read. */
  #pushBytes (chunk: Buffer, buffer?: Buffer): void {
    this.#pushed += chunk.length
    if (buffer !== undefined) {
      this.#pushedBuffers.push({ buffer, end: this.#pushed })
      if (this.#pushedBuffers.length > REUSABLE_BUFFERS) this.#pushedBuffers.shift()
    }
    this.push(chunk)
  }

  /** The size of the next read: double while the destination has sent everything by the time a read completes, else the first. */
  #nextReadSize (): void {
    this.#readSize = this.#unsent() > 0 ? this.#chunkSize : Math.min(this.#readSize * 2, this.#maxChunkSize)
  }

  #startOf (index: number): number {
    const segment = this.#segments[index]
    return segment === undefined || Buffer.isBuffer(segment) ? 0 : segment.start
  }

  #next (): void {
    this.#index++
    this.#position = this.#startOf(this.#index)
  }

  override _read (): void {
    const segment = this.#segments[this.#index]
    if (segment === undefined) {
      this.push(null)
      return
    }
    if (Buffer.isBuffer(segment)) {
      this.#next()
      this.#pushBytes(segment)
      return
    }
    // Reading ahead of a destination that still holds bytes: the first size, whatever the last.
    const length = Math.min(this.#unsent() > 0 ? this.#chunkSize : this.#readSize, segment.end - this.#position + 1)
    const chunk = this.#bufferFor(length)
    this.#reading = true
    fs.read(this.#fd, chunk, 0, length, this.#position, (err, bytesRead) => {
      this.#reading = false
      if (this.#closeAfterRead !== undefined) {
        this.#closeAfterRead()
        return
      }
      if (err !== null) {
        this.destroy(unreadable(err))
        return
      }
      if (bytesRead === 0) {
        this.destroy(shrank())
        return
      }
      this.#position += bytesRead
      if (this.#position > segment.end) this.#next()
      this.#nextReadSize()
      this.#pushBytes(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead), chunk)
    })
  }

  override _destroy (err: Error | null, callback: (error?: Error | null) => void): void {
    const close = (): void => fs.close(this.#fd, (closeErr) => callback(err ?? closeErr))
    if (this.#reading) this.#closeAfterRead = close
    else close()
  }
}
