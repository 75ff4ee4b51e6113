// What every stream source is reduced to (see source.ts): one item at a time, and a way to
// finalise the source before its end.
import { isPromise } from '../lib/promise.js'

/** One item at a time from a source; `close` finalises it before its end (generator `finally`, destroy, cancel). */
export interface Puller<T = unknown> {
  next (): IteratorResult<T> | Promise<IteratorResult<T>>
  close (): unknown
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
