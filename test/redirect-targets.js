'use strict'
// Redirect targets built from what browsers treat specially, the guard configurations they are
// tried under, and the judge: where WHATWG URL takes a browser on an https and an http page of
// the app. Shared by the redirect property test and the reliability suite.
const fc = require('fast-check')

const APP_HOST = 'app.example.com'
const ALLOWED = 'https://ok.example.com'
const BASES = [`https://${APP_HOST}/x`, `http://${APP_HOST}/x`]

// Pieces browsers treat specially: slashes and backslashes (raw and encoded), tabs and newlines
// they strip, userinfo, full-width and ideographic look-alikes, script schemes.
const noise = fc.constantFrom('', '', '', '\t', '\n', '\r', '\r\n', ' ')
const scheme = fc.constantFrom('', '', 'http:', 'https:', 'HTTP:', 'hTtPs:', 'h\ttp:', 'ht\r\ntps:', 'http\n:', 'javascript:',
  'JaVaScRiPt:', 'java\tscript:', ' javascript:', 'java%09script:', 'vbscript:', 'data:', 'ftp:', 'ws:', 'ｈｔｔｐ:', 'ｊａｖａｓｃｒｉｐｔ:')
const slashes = fc.constantFrom('', '/', '//', '///', '/\\', '\\/', '\\', '\\\\', '%2f', '%2F%2F', '/%2f', '%5c', '/%5C', '%5C%5C',
  '/\t/', '\t//', '／／', '＼＼', '/%09/', '/%0a/')
const userinfo = fc.constantFrom('', '', 'user@', `${APP_HOST}@`, 'ok.example.com@', 'a:b@', '@', 'evil.com@')
const host = fc.constantFrom('evil.com', APP_HOST, 'ok.example.com', 'APP.EXAMPLE.COM', 'OK.Example.Com', 'ｅｖｉｌ.com', 'evil。com',
  `${APP_HOST}.evil.com`, `evil.com\\@${APP_HOST}`, `evil.com%2f@${APP_HOST}`, '127.0.0.1', '%65vil.com', `${APP_HOST}:80`,
  `${APP_HOST}:443`, 'ok.example.com:443', 'ok.example.com:8443', '[::1]', '')
const rest = fc.constantFrom('', '/', '/x', '/\\evil.com', '?next=//evil.com', '#//evil.com', '@evil.com', ':80/x', '/%2e%2e/')

const structured = fc.tuple(noise, scheme, noise, slashes, userinfo, host, noise, rest).map((parts) => parts.join(''))
// Character soup over the same alphabet, for the orders the pieces above do not produce.
const soup = fc.array(fc.constantFrom('/', '\\', ':', '@', '.', '%', '2', 'f', '5', 'c', '\t', '\n', '\r', ' ', 'h', 't', 'p', 's',
  'evil.com', APP_HOST, 'javascript', 'ｅ', '。', '／', '＼'), { maxLength: 16 }).map((chars) => chars.join(''))
const target = fc.oneof(structured, soup)

/** Where a browser on `base` goes with this Location, and whether that is fine for an app of these origins. */
function staysInBounds (location, own) {
  return BASES.every((base) => {
    const url = new URL(location, base)
    const origin = url.origin
    return (url.protocol === 'http:' || url.protocol === 'https:') &&
      (origin === new URL(base).origin || own.includes(origin) || origin === ALLOWED)
  })
}

const configurations = [
  // The Host header decides the app's origin: the request came on http with Host app.example.com.
  { name: 'origin from the Host header', redirect: { allowedOrigins: [ALLOWED] }, own: [`http://${APP_HOST}`], hostHeader: fc.constant(APP_HOST) },
  // The app's origin is configured: a forged Host changes nothing.
  { name: 'configured origins', redirect: { origins: [`https://${APP_HOST}`], allowedOrigins: [ALLOWED] }, own: [`https://${APP_HOST}`], hostHeader: fc.constantFrom(APP_HOST, 'evil.com', 'ok.example.com') }
]

module.exports = { APP_HOST, ALLOWED, target, staysInBounds, configurations }
