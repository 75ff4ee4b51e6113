// Redirect targets: Python's `quote(url, safe=":/%#?=@[]!$&'()*+,;")`, which Starlette applies to
// every Location, and the open-redirect check.
import { percentEncode } from './percent-encoding.js'

// Python's always-safe characters plus Starlette's `safe` set. `%` is safe, so an already
// encoded URL is not encoded twice.
const UNSAFE = /[^A-Za-z0-9_.\-~:/%#?=@[\]!$&'()*+,;]+/gu

const HAS_UNSAFE = new RegExp(UNSAFE.source, 'u')

export function quoteUrl (url: string): string {
  return HAS_UNSAFE.test(url) ? url.replace(UNSAFE, (run) => percentEncode(run)) : url
}

export interface RedirectPolicy {
  /** The app's own origins when configured; otherwise the request's, from its Host header. */
  origins: readonly string[] | undefined
  /** Origins a redirect may point to besides the app's own. */
  allowedOrigins: ReadonlySet<string>
}

export function parseUrl (input: string, base?: URL): URL | undefined {
  try { return new URL(input, base) } catch { return undefined }
}

export function isHttpUrl (url: URL): boolean {
  return url.protocol === 'http:' || url.protocol === 'https:'
}

/**
 * Whether `location` (the quoted Location) keeps the browser on the page's origin or takes it to
 * one of the app's own or an allowed origin. Behind a TLS-terminating proxy the request's scheme
 * is not the browser's, and `http:host` is a path on an http page but `http://host/` on an https
 * one: so it is resolved as a browser does (WHATWG URL: tabs and newlines dropped, `\` read as
 * `/`), against every app host over both schemes, and must pass under each; the decoded form
 * must too, so `/%5Chost` is refused like `/\host`.
 */
export function isRedirectAllowed (location: string, requestOrigin: string, policy: RedirectPolicy): boolean {
  let own = policy.origins
  if (own === undefined) {
    // Serialised by URL, as the resolved targets are: lowercase host, no default port.
    const request = parseUrl(requestOrigin)
    // No origin can be built from this Host: nothing to judge against.
    if (request === undefined) return false
    own = [request.origin]
  }
  const forms = [location]
  try {
    // decodeURI keeps reserved characters such as %2F encoded.
    const decoded = decodeURI(location)
    if (decoded !== location) forms.push(decoded)
  } catch {}
  for (const origin of own) {
    const authority = origin.slice(origin.indexOf(':'))
    for (const scheme of ['https', 'http']) {
      const base = new URL(`${scheme}${authority}/x`)
      for (const form of forms) {
        const url = parseUrl(form, base)
        if (url === undefined || !isHttpUrl(url)) return false
        if (url.origin !== base.origin && !own.includes(url.origin) && !policy.allowedOrigins.has(url.origin)) return false
      }
    }
  }
  return true
}
