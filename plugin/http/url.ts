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
  /** Origins (scheme://host[:port]) a redirect may point to besides the request's own. */
  allowedOrigins: ReadonlySet<string>
}

// Browsers read a backslash as a slash and drop tabs/newlines inside URLs, so `/\evil.com`
// and `/\t/evil.com` are scheme-relative to them.
const BROWSER_IGNORED = /[\t\n\r]/g

/**
 * Whether `target` (as it will appear in Location) stays on `requestOrigin` or an allowed origin.
 * Relative paths are same-origin; scheme-relative `//host`, `/\host`, and script or data URLs
 * are refused unless they resolve to an allowed origin.
 */
export function isRedirectAllowed (target: string, requestOrigin: string, policy: RedirectPolicy): boolean {
  // The Location is quoted: decodeURI gives back the backslashes and tabs quoting encoded (it
  // keeps reserved characters such as %2F encoded), so `/\host` is refused in either form.
  let unquoted = target
  try { unquoted = decodeURI(target) } catch {}
  const cleaned = unquoted.replace(BROWSER_IGNORED, '').replace(/\\/g, '/').trim()
  let resolved: URL
  try {
    resolved = new URL(cleaned, requestOrigin + '/')
  } catch {
    return false
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return false
  return resolved.origin === requestOrigin || policy.allowedOrigins.has(resolved.origin)
}
