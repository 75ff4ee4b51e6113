// Which of a route's response schemas applies to a status code, in Fastify's order: the exact
// code (`201`), then its class (`2xx`), then `default`; per-content-type entries give their JSON one.

/** `['201', '2xx']` for each status a response can have, made once: the lookup runs for every JSON response. */
const statusKeys: ReadonlyArray<readonly [string, string]> = Array.from({ length: 600 }, (_, code) => [String(code), `${String(code)[0]}xx`])

/** The entry for `statusCode` from `lookup(source, key)`, trying the keys in Fastify's order. */
export function forStatus<S, T> (statusCode: number, source: S, lookup: (source: S, key: string) => T | undefined): T | undefined {
  const [code, codeClass] = statusKeys[statusCode] ?? [String(statusCode), `${String(statusCode)[0]}xx`]
  return lookup(source, code) ?? lookup(source, codeClass) ?? lookup(source, 'default')
}

/** The `application/json` entry of a per-content-type map, else its `*\/*` one. */
export function jsonEntry<T> (byContentType: Record<string, T>): T | undefined {
  return byContentType['application/json'] ?? byContentType['*/*']
}
