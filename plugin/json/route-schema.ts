// Which of a route's response schemas applies to a status code, in Fastify's order: the exact
// code (`201`), then its class (`2xx`), then `default`; per-content-type entries give their JSON one.

/** `['201', '2xx']` for 201. */
function keysFor (statusCode: number): readonly [string, string] {
  const code = String(statusCode)
  return [code, `${code[0]}xx`]
}

// Made once for each status a response can have: the lookup runs for every JSON response.
const statusKeys = Array.from({ length: 600 }, (_, statusCode) => keysFor(statusCode))

/** The entry for `statusCode` from `lookup(source, key)`, trying the keys in Fastify's order. */
export function forStatus<S, T> (statusCode: number, source: S, lookup: (source: S, key: string) => T | undefined): T | undefined {
  const [code, codeClass] = statusKeys[statusCode] ?? keysFor(statusCode)
  return lookup(source, code) ?? lookup(source, codeClass) ?? lookup(source, 'default')
}

/** The `application/json` entry of a per-content-type map, else its `*\/*` one. */
export function jsonEntry<T> (byContentType: Record<string, T>): T | undefined {
  return byContentType['application/json'] ?? byContentType['*/*']
}
