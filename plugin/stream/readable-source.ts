// A Node Readable as a stream source (see source.ts), one chunk at a time without its async
// iterator, which costs a promise and a tick per chunk even when chunks are buffered.
import { finished, type Readable } from 'node:stream'
import type { Puller } from './puller.js'

const DONE: IteratorResult<never> = { done: true, value: undefined }

/**
 * What `read()` has buffered is taken at once; when it has nothing, the stream flows until its
 * next chunk is emitted, and is paused again if nobody waits for it by then. Closing destroys it:
 * its iterator's return() would wait for a pending read.
 */
export function readableItems (readable: Readable): Puller {
  let held: IteratorResult<unknown> | undefined
  let waiter: { resolve: (result: IteratorResult<unknown>) => void, reject: (err: Error) => void } | undefined
  // How it finished: null while it has not, true at its end, else its error (or premature close).
  let outcome: Error | true | null = null
  let flowing = false
  // read() emits 'data' too: what it returns is not held again.
  let reading = false
  const onData = (value: unknown): void => {
    if (reading) return
    const result = { done: false, value }
    if (waiter === undefined) {
      held = result
      readable.pause()
      return
    }
    const { resolve } = waiter
    waiter = undefined
    resolve(result)
  }
  // Watched from the start: a stream that fails inside a read() that returned data (a _read that
  // pushes, then destroys it) emits 'error' before anybody waits for a chunk.
  finished(readable, { writable: false }, (err) => {
    outcome = err ?? true
    if (waiter === undefined) return
    if (err == null) waiter.resolve(DONE)
    else waiter.reject(err)
  })
  return {
    next () {
      if (held !== undefined) {
        const result = held
        held = undefined
        return result
      }
      reading = true
      const value: unknown = readable.read()
      reading = false
      if (value !== null) return { done: false, value }
      if (outcome === true) return DONE
      if (outcome !== null) throw outcome
      if (!flowing) {
        flowing = true
        readable.on('data', onData)
      }
      readable.resume()
      return new Promise((resolve, reject) => { waiter = { resolve, reject } })
    },
    close: () => readable.destroy()
  }
}
