// Which of a route's response schemas applies to a status code, in Fastify's order: the exact
// code (`201`), then its class (`2xx`), then `default`; per-content-type entries give their JSON one.

/** The entry for `statusCode` from `lookup(key)`, trying the keys in Fastify's order. */
export function forStatus<T> (statusCode: number, lookup: (key: string) => T | undefined): T | undefined {
  const code = String(statusCode)
  return lookup(code) ?? lookup(code[0] + 'xx') ?? lookup('default')
}

/** The `application/json` entry of a per-content-type map, else its `*\/*` one. */
export function jsonEntry<T> (byContentType: Record<string, T>): T | undefined {
  return byContentType['application/json'] ?? byContentType['*/*']
}
