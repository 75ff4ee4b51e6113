'use strict'
// planFileResponse (plugin/file/plan.ts) on its own: what a request gets from a file's stats
// and the options, without Fastify, a server or a file on disk.
const t = require('tap')
const { starletteEtag } = require('../dist/http/etag.js')
const { parseByteranges, bytesOf } = require('./byteranges')

const { planFileResponse } = require('../dist/file/plan.js')

const file = Buffer.from('0123456789'.repeat(10))
const stats = { size: file.length, mtimeMs: 1700000000000 }
const etag = starletteEtag(stats)
const lastModified = 'Tue, 14 Nov 2023 22:13:20 GMT'
const earlier = 'Tue, 14 Nov 2023 22:13:19 GMT'
const contentType = 'text/plain; charset=utf-8'
const fileHeaders = { 'content-type': contentType, 'accept-ranges': 'bytes', 'content-length': '100', 'last-modified': lastModified, etag }
const whole = { statusCode: 200, headers: fileHeaders, segments: [{ start: 0, end: 99 }] }

/** The plan for a GET of the 100-byte file with no options, changed by `input`. */
function plan (input = {}) {
  return planFileResponse({ method: 'GET', requestHeaders: {}, stats, options: {}, statusCode: 200, contentType, responseHeaders: {}, ...input })
}

t.test('a plain GET: the whole file with its stat headers', async (t) => {
  t.same(plan(), whole)
  t.same(plan({ method: 'HEAD' }), whole, 'HEAD: the same plan, the body is the caller\'s to leave out')
  t.same(plan({ method: 'POST' }), whole)
})

t.test('an empty file has no segments', async (t) => {
  const empty = plan({ stats: { size: 0, mtimeMs: stats.mtimeMs } })
  t.equal(empty.statusCode, 200)
  t.equal(empty.headers['content-length'], '0')
  t.same(empty.segments, [])
})

t.test('the filename becomes Content-Disposition, attachment unless told otherwise', async (t) => {
  t.equal(plan({ filename: 'report.pdf' }).headers['content-disposition'], 'attachment; filename="report.pdf"')
  t.equal(plan({ filename: 'report.pdf', options: { contentDispositionType: 'inline' } }).headers['content-disposition'], 'inline; filename="report.pdf"')
  t.equal(plan({ filename: 'café.txt' }).headers['content-disposition'], 'attachment; filename="cafe.txt"; filename*=utf-8\'\'caf%C3%A9.txt')
  t.notOk('content-disposition' in plan().headers)
})

t.test('the response\'s own headers win over the file\'s, and its ETag is the one compared', async (t) => {
  const responseHeaders = { 'cache-control': 'no-store', etag: '"mine"', vary: 'accept' }
  const own = plan({ responseHeaders, options: { maxAge: 60 } })
  t.same(own.headers, { ...fileHeaders, 'cache-control': 'no-store', etag: '"mine"', vary: 'accept' })
  t.equal(plan({ responseHeaders, requestHeaders: { 'if-none-match': '"mine"' } }).statusCode, 304)
  t.equal(plan({ responseHeaders, requestHeaders: { 'if-none-match': etag } }).statusCode, 200)
  t.equal(plan({ responseHeaders, requestHeaders: { range: 'bytes=0-0', 'if-range': '"mine"' } }).statusCode, 206)
  const ranged = plan({ responseHeaders, requestHeaders: { range: 'bytes=0-0' } })
  t.equal(ranged.headers['content-range'], 'bytes 0-0/100')
  t.same(responseHeaders, { 'cache-control': 'no-store', etag: '"mine"', vary: 'accept' }, 'the response\'s headers are not changed')
})

t.test('Cache-Control: the response\'s cache options taken whole, else the app\'s', async (t) => {
  const cacheControl = (options, defaults) => plan({ options, defaults }).headers['cache-control']
  t.equal(cacheControl({}, undefined), undefined, 'none unless asked')
  t.equal(cacheControl({ maxAge: 5 }, undefined), 'public, max-age=5')
  t.equal(cacheControl({}, { maxAge: 60, immutable: true }), 'public, max-age=60, immutable', 'the app\'s')
  t.equal(cacheControl({ cacheControl: 'no-cache' }, { maxAge: 60 }), 'no-cache', 'the response\'s')
  t.equal(cacheControl({ maxAge: 5 }, { cacheControl: 'no-cache' }), 'public, max-age=5', 'not mixed with an app-wide cacheControl')
  t.equal(cacheControl({ immutable: true }, { maxAge: 60 }), 'public, max-age=0, immutable', 'not mixed with an app-wide maxAge')
  t.equal(cacheControl({ immutable: false }, { maxAge: 60 }), 'public, max-age=60', 'options that make no Cache-Control leave the app\'s')
})

t.test('the other options come from the app\'s defaults unless the response sets them', async (t) => {
  const defaults = { etag: false, acceptRanges: false, maxRanges: 1, contentDispositionType: 'inline' }
  const headers = plan({ defaults, filename: 'a.txt' }).headers
  t.notOk('etag' in headers)
  t.notOk('accept-ranges' in headers)
  t.equal(headers['content-disposition'], 'inline; filename="a.txt"')
  t.equal(plan({ defaults, requestHeaders: { range: 'bytes=0-0' } }).statusCode, 200, 'acceptRanges: false from the app')
  const own = plan({ defaults, options: { acceptRanges: true }, requestHeaders: { range: 'bytes=0-0,5-5' } })
  t.equal(own.statusCode, 200, 'maxRanges: 1 from the app: two parts are ignored')
  t.equal(own.headers['accept-ranges'], 'bytes', 'acceptRanges: true from the response')
  t.equal(plan({ defaults, options: { acceptRanges: true }, requestHeaders: { range: 'bytes=0-0' } }).statusCode, 206)
})

t.test('etag: Starlette\'s strong tag, weak, none or computed; a computed non-tag is the programmer\'s error', async (t) => {
  t.match(etag, /^"[0-9a-f]{32}"$/)
  t.equal(plan({ options: { etag: 'weak' } }).headers.etag, 'W/' + etag)
  t.notOk('etag' in plan({ options: { etag: false } }).headers)
  const seen = []
  t.equal(plan({ options: { etag: (given) => { seen.push(given); return `"v${given.size}"` } } }).headers.etag, '"v100"')
  t.same(seen, [stats], 'computed from the stats')
  t.throws(() => plan({ options: { etag: () => 'no quotes' } }), { code: 'FST_RESPONSES_INVALID_OPTION' })
  t.throws(() => plan({ options: { etag: () => undefined } }), { code: 'FST_RESPONSES_INVALID_OPTION' })
})

t.test('conditional requests, RFC 9110 §13.2.2: 304 and 412 by method and validator', async (t) => {
  const notModified = { statusCode: 304, headers: { 'accept-ranges': 'bytes', 'last-modified': lastModified, etag }, segments: [] }
  const firstByte = { statusCode: 206, headers: { ...fileHeaders, 'content-range': 'bytes 0-0/100', 'content-length': '1' }, segments: [{ start: 0, end: 0 }] }
  const table = [
    ['GET', { 'if-none-match': etag }, notModified],
    ['HEAD', { 'if-none-match': 'W/' + etag }, notModified],
    ['GET', { 'if-none-match': '*' }, notModified],
    ['GET', { 'if-none-match': '"other"' }, whole],
    ['POST', { 'if-none-match': etag }, { refused: 412 }],
    ['GET', { 'if-modified-since': lastModified }, notModified],
    ['GET', { 'if-modified-since': earlier }, whole],
    ['POST', { 'if-modified-since': lastModified }, whole],
    ['GET', { 'if-match': etag }, whole],
    ['GET', { 'if-match': '"other"' }, { refused: 412 }],
    ['PUT', { 'if-match': '"other"' }, { refused: 412 }],
    ['GET', { 'if-unmodified-since': lastModified }, whole],
    ['GET', { 'if-unmodified-since': earlier }, { refused: 412 }],
    ['GET', { 'if-match': '"other"', 'if-none-match': etag }, { refused: 412 }],
    ['GET', { 'if-match': etag, range: 'bytes=0-0' }, firstByte],
    ['GET', { 'if-match': '"other"', range: 'bytes=0-0' }, { refused: 412 }],
    ['GET', { 'if-none-match': etag, range: 'bytes=0-0' }, notModified]
  ]
  for (const [method, requestHeaders, expected] of table) t.same(plan({ method, requestHeaders }), expected, `${method} ${JSON.stringify(requestHeaders)}`)
  const kept = plan({ responseHeaders: { vary: 'accept', 'content-location': '/a.txt', 'content-language': 'en' }, options: { maxAge: 60 }, requestHeaders: { 'if-none-match': etag } })
  t.same(kept.headers, { ...notModified.headers, 'cache-control': 'public, max-age=60', vary: 'accept', 'content-location': '/a.txt' },
    'a 304 keeps the validators, cache headers and Content-Location, not the content-* metadata')
})

t.test('conditional: false, etag: false, lastModified: false', async (t) => {
  for (const requestHeaders of [{ 'if-none-match': etag }, { 'if-match': '"other"' }, { 'if-modified-since': lastModified }]) {
    t.same(plan({ options: { conditional: false }, requestHeaders }), whole, `conditional: false ignores ${Object.keys(requestHeaders)}`)
  }
  const noEtag = { options: { etag: false } }
  t.equal(plan({ ...noEtag, requestHeaders: { 'if-none-match': etag } }).statusCode, 200, 'no ETag, no tag matches')
  t.equal(plan({ ...noEtag, requestHeaders: { 'if-none-match': '*' } }).statusCode, 304, '* matches the file still')
  t.same(plan({ ...noEtag, requestHeaders: { 'if-match': etag } }), { refused: 412 })
  t.equal(plan({ ...noEtag, requestHeaders: { range: 'bytes=0-0', 'if-range': etag } }).statusCode, 200)
  const noDate = { options: { lastModified: false } }
  t.notOk('last-modified' in plan(noDate).headers)
  t.equal(plan({ ...noDate, requestHeaders: { 'if-modified-since': lastModified } }).statusCode, 200, 'no date, no 304')
  t.equal(plan({ ...noDate, requestHeaders: { 'if-unmodified-since': earlier } }).statusCode, 200, 'no date, no 412')
  t.equal(plan({ ...noDate, requestHeaders: { range: 'bytes=0-0', 'if-range': lastModified } }).statusCode, 200)
})

t.test('a single range: 206 with Content-Range and its own length', async (t) => {
  for (const method of ['GET', 'HEAD']) {
    t.same(plan({ method, requestHeaders: { range: 'bytes=10-19' } }), {
      statusCode: 206,
      headers: { ...fileHeaders, 'content-range': 'bytes 10-19/100', 'content-length': '10' },
      segments: [{ start: 10, end: 19 }]
    }, method)
  }
  t.same(plan({ requestHeaders: { range: 'bytes=0-9,5-14' } }).segments, [{ start: 0, end: 14 }], 'overlapping parts merged into one range')
  t.equal(plan({ requestHeaders: { range: 'bytes=-5' } }).headers['content-range'], 'bytes 95-99/100')
})

t.test('several ranges: one multipart/byteranges body of exact length, parts in the file\'s type', async (t) => {
  const answer = plan({ requestHeaders: { range: 'bytes=50-54,0-1' }, boundary: 'BOUND' })
  t.equal(answer.statusCode, 206)
  t.equal(answer.headers['content-type'], 'multipart/byteranges; boundary=BOUND')
  t.notOk('content-range' in answer.headers)
  const body = bytesOf(answer.segments, file)
  t.equal(answer.headers['content-length'], String(body.length))
  t.same(parseByteranges(answer.headers['content-type'], body), [
    { headers: { 'Content-Type': contentType, 'Content-Range': 'bytes 0-1/100' }, data: file.subarray(0, 2) },
    { headers: { 'Content-Type': contentType, 'Content-Range': 'bytes 50-54/100' }, data: file.subarray(50, 55) }
  ])
  t.match(plan({ requestHeaders: { range: 'bytes=0-1,5-6' } }).headers['content-type'], /^multipart\/byteranges; boundary=[0-9a-f]{26}$/, 'a random boundary unless given')
})

t.test('ranges refused: malformed (400, Starlette\'s messages) and unsatisfiable (416 with the size)', async (t) => {
  const table = [
    ['bytes: 0-10', { refused: 400, message: 'Malformed range header.' }],
    ['items=0-10', { refused: 400, message: 'Only support bytes range' }],
    ['bytes=x', { refused: 400, message: 'Range header: range must be requested' }],
    ['bytes=5-4', { refused: 400, message: 'Range header: start must be less than end' }],
    ['bytes=100-', { refused: 416, headers: { 'content-range': 'bytes */100' } }],
    ['bytes=100-0', { refused: 416, headers: { 'content-range': 'bytes */100' } }]
  ]
  for (const [range, expected] of table) t.same(plan({ requestHeaders: { range } }), expected, range)
  t.same(plan({ method: 'HEAD', requestHeaders: { range: 'bytes=100-' } }), { refused: 416, headers: { 'content-range': 'bytes */100' } }, 'HEAD too')
})

t.test('ranges ignored: the whole file', async (t) => {
  const parts = (n) => 'bytes=' + Array.from({ length: n }, (_, i) => `${i}-${i}`).join(',')
  t.equal(plan({ requestHeaders: { range: parts(100) } }).statusCode, 206, '100 parts are served')
  t.same(plan({ requestHeaders: { range: parts(101) } }), whole, 'more than maxRanges (100)')
  t.same(plan({ options: { maxRanges: 2 }, requestHeaders: { range: parts(3) } }), whole, 'more than the maxRanges option')
  t.same(plan({ method: 'POST', requestHeaders: { range: 'bytes=0-0' } }), whole, 'Range is for GET and HEAD only')
  const noRanges = plan({ options: { acceptRanges: false }, requestHeaders: { range: 'bytes=0-0' } })
  const { 'accept-ranges': acceptRanges, ...withoutAcceptRanges } = fileHeaders
  t.equal(acceptRanges, 'bytes')
  t.same(noRanges, { ...whole, headers: withoutAcceptRanges }, 'acceptRanges: false, and no Accept-Ranges')
  t.same(plan({ options: { acceptRanges: false }, requestHeaders: { range: 'nonsense' } }), noRanges, 'not even read')
})

t.test('If-Range: the Range applies only for the exact strong ETag or Last-Modified', async (t) => {
  const ranged = (ifRange, options = {}) => plan({ options, requestHeaders: { range: 'bytes=0-9', 'if-range': ifRange } }).statusCode
  t.equal(ranged(etag), 206)
  t.equal(ranged(lastModified), 206)
  t.equal(ranged('W/' + etag), 200)
  t.equal(ranged('"other"'), 200)
  t.equal(ranged(earlier), 200)
  t.equal(ranged('W/' + etag, { etag: 'weak' }), 200, 'a weak ETag never satisfies If-Range')
  t.same(plan({ requestHeaders: { range: 'nonsense', 'if-range': '"other"' } }), whole, 'a failed If-Range skips even a malformed Range')
})

t.test('a status other than 200: the whole file, whatever the conditions and ranges', async (t) => {
  for (const requestHeaders of [{ range: 'bytes=0-0' }, { 'if-none-match': '*' }, { 'if-match': '"other"' }, { range: 'nonsense' }]) {
    t.same(plan({ statusCode: 404, requestHeaders }), { ...whole, statusCode: 404 }, JSON.stringify(requestHeaders))
  }
  t.same(plan({ statusCode: 203 }), { ...whole, statusCode: 203 })
})
