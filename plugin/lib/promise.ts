/** True for a promise or any thenable. Strings, the usual values where this is asked, leave at the first test. */
export function isPromise<T> (value: T | Promise<T>): value is Promise<T> {
  return typeof value === 'object' && value !== null && typeof (value as Promise<T>).then === 'function'
}
