'use strict'
// Redirect targets: Python's quote(url, safe=":/%#?=@[]!$&'()*+,;") and the open-redirect check.
const t = require('tap')
const { quoteUrl, isRedirectAllowed } = require('../dist/http/url.js')

t.test('quoteUrl matches Python quote with Starlette safe characters', async (t) => {
  const cases = [
    ['/I ♥ Starlette/', '/I%20%E2%99%A5%20Starlette/'],
    ['https://example.com/a b?q=1&r=é#frag', 'https://example.com/a%20b?q=1&r=%C3%A9#frag'],
    ["/keep:/%#?=@[]!$&'()*+,;_.-~AZaz09", "/keep:/%#?=@[]!$&'()*+,;_.-~AZaz09"],
    ['/already%20encoded', '/already%20encoded'],
    ['/a\r\nSet-Cookie: x=1', '/a%0D%0ASet-Cookie:%20x=1'],
    ['/quote"<>\\^`{|}', '/quote%22%3C%3E%5C%5E%60%7B%7C%7D'],
    ['/tab\there', '/tab%09here'],
    ['/emoji/😀', '/emoji/%F0%9F%98%80'],
    ['', '']
  ]
  for (const [url, quoted] of cases) t.equal(quoteUrl(url), quoted, JSON.stringify(url))
})

t.test('quoteUrl encodes a lone surrogate as the replacement character', async (t) => {
  t.equal(quoteUrl('/a\ud800b'), '/a%EF%BF%BDb')
})

t.test('isRedirectAllowed: same origin and allowed origins pass', async (t) => {
  const policy = { allowedOrigins: new Set(['https://trusted.example']) }
  const origin = 'http://127.0.0.1:3000'
  for (const target of ['/', '/path?q=1', 'relative', '/%2F%2Fencoded-slashes-are-a-path', '/100%-malformed-escape', '?only=query', '#frag', 'http://127.0.0.1:3000/x', 'https://trusted.example/login', 'HTTPS://TRUSTED.EXAMPLE/']) {
    t.equal(isRedirectAllowed(target, origin, policy), true, target)
  }
})

t.test('isRedirectAllowed: other origins, scheme-relative, backslash (quoted or not) and script URLs are refused', async (t) => {
  const policy = { allowedOrigins: new Set(['https://trusted.example']) }
  const origin = 'http://127.0.0.1:3000'
  const refused = [
    'https://evil.example/', '//evil.example', '///evil.example', '/\\evil.example', '\\\\evil.example',
    '/\t/evil.example', ' //evil.example', 'http://trusted.example/', 'https://trusted.example:8443/',
    'https://127.0.0.1:3000/', 'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>',
    'http://[::1', 'ftp://127.0.0.1:3000/', '/%5Cevil.example', '/%09/evil.example', '%5C%5Cevil.example'
  ]
  for (const target of refused) t.equal(isRedirectAllowed(target, origin, policy), false, JSON.stringify(target))
})

t.test('isRedirectAllowed: a target must pass on an https and an http page of each of the app\'s hosts', async (t) => {
  const fromHost = { origins: undefined, allowedOrigins: new Set(['https://ok.example.com']) }
  t.equal(isRedirectAllowed('http:evil.com', 'http://app.example.com', fromHost), false, 'a path on http, evil.com on https')
  t.equal(isRedirectAllowed('https:evil.com', 'https://app.example.com', fromHost), false, 'a path on https, evil.com on http')
  t.equal(isRedirectAllowed('https:ok.example.com', 'http://app.example.com', fromHost), true, 'a path or the allowed origin')
  t.equal(isRedirectAllowed('/x', 'http://APP.EXAMPLE.COM:80', fromHost), true, 'the request origin is normalised')
  t.equal(isRedirectAllowed('/x', 'http://a b', fromHost), false, 'no origin from this Host')
  const configured = { origins: ['https://app.example.com', 'http://app.example.com:8080'], allowedOrigins: new Set() }
  for (const target of ['/x', 'https://app.example.com/', 'http://app.example.com:8080/']) {
    t.equal(isRedirectAllowed(target, 'http://evil.com', configured), true, target)
  }
  for (const target of ['http://evil.com/', '//evil.com', 'http://app.example.com/']) {
    t.equal(isRedirectAllowed(target, 'http://evil.com', configured), false, target)
  }
})
