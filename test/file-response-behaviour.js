'use strict'
// FileResponse over real HTTP: Starlette's FileResponse expectations, content-disposition forms,
// If-Range, conditional requests, HEAD, errors without stale headers, descriptors, roots. Run without
// the file cache (file-response.test.js) and with it in each freshness mode: every behaviour, header
// and byte must be the same.
const t = require('tap')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const http = require('node:http')
const crypto = require('node:crypto')
const { execFileSync } = require('node:child_process')
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')
const { FileResponse } = fastifyResponses
const helpers = require('./helpers')
const { request, rawRequest, descriptorsOf, settledDescriptorsOf } = helpers
const { parseByteranges } = require('./byteranges')

/** The tests, with `cache` as the app's FileResponse cache option (undefined: none). */
module.exports = function fileResponseBehaviour (cache) {
  /** The test helper's app, with the cache under test as a default beside the test's own `file` options. */
  function startApp (t, setup, { pluginOptions, ...options } = {}) {
    const file = cache === undefined ? pluginOptions?.file : { cache, ...pluginOptions?.file }
    return helpers.startApp(t, setup, { ...options, pluginOptions: { ...pluginOptions, file } })
  }

  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fr-http-')))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const content = crypto.randomBytes(1000)
  const smallPath = path.join(dir, 'example.png')
  fs.writeFileSync(smallPath, content)
  const large = crypto.randomBytes(300 * 1024)
  const largePath = path.join(dir, 'large.bin')
  fs.writeFileSync(largePath, large)

  async function fileApp (t, options = {}, pluginOptions) {
    return startApp(t, (app) => {
      app.get('/small', (request, reply) => reply.fileResponse(smallPath, options))
      app.get('/large', (request, reply) => reply.fileResponse(largePath, options))
    }, { pluginOptions })
  }

  t.test('a file with its stat headers, as Starlette sends it', async (t) => {
    let ran = 0
    const app = await startApp(t, (app) => {
      app.get('/', () => new FileResponse(smallPath, { filename: 'example.png', background: () => { ran++ } }))
    })
    const res = await request(app, '/')
    t.equal(res.status, 200)
    t.same(res.body, content)
    const stats = fs.statSync(smallPath, { bigint: true })
    t.equal(res.headers['content-type'], 'image/png')
    t.equal(res.headers['content-length'], '1000')
    t.equal(res.headers['accept-ranges'], 'bytes')
    t.equal(res.headers['content-disposition'], 'attachment; filename="example.png"')
    t.equal(res.headers['last-modified'], new Date(Number(stats.mtimeMs / 1000n) * 1000).toUTCString())
    t.match(res.headers.etag, /^"[0-9a-f]{32}"$/)
    t.equal(res.headers['cache-control'], undefined, 'no Cache-Control unless asked')
    t.equal(ran, 1, 'background task ran')
  })

  t.test('the ETag is Starlette\'s for the same file, byte for byte', async (t) => {
    const file = path.join(dir, 'dated.txt')
    fs.writeFileSync(file, 'hello world')
    execFileSync('touch', ['-d', '@1700000000.123456789', file])
    const app = await startApp(t, (app) => { app.get('/', () => new FileResponse(file)) })
    const res = await request(app, '/')
    // Starlette: md5(str(os.stat(file).st_mtime) + "-11") with st_mtime printed as 1700000000.1234567.
    t.equal(res.headers.etag, '"4902d0e10458a07a0bfd68a8d2992afc"')
    t.equal(res.headers['last-modified'], 'Tue, 14 Nov 2023 22:13:20 GMT')
    t.equal(res.headers['content-type'], 'text/plain; charset=utf-8', 'charset on text/*')
  })

  t.test('content type: filename first, then path, octet-stream when unknown, mediaType wins', async (t) => {
    const app = await startApp(t, (app) => {
      app.get('/by-name', () => new FileResponse(largePath, { filename: 'report.pdf' }))
      app.get('/unknown', () => new FileResponse(largePath))
      app.get('/media', () => new FileResponse(smallPath, { mediaType: 'image/jpeg' }))
    })
    t.equal((await request(app, '/by-name', { method: 'HEAD' })).headers['content-type'], 'application/pdf')
    t.equal((await request(app, '/unknown', { method: 'HEAD' })).headers['content-type'], 'application/octet-stream')
    t.equal((await request(app, '/media', { method: 'HEAD' })).headers['content-type'], 'image/jpeg')
    t.equal(new FileResponse('/a/B.PNG').mediaType, 'image/png', 'extensions in any case')
    t.equal(new FileResponse('/a/c.png').mediaType, 'image/png', 'a known extension, memoized')
    t.equal(new FileResponse('/a/.png').mediaType, 'application/octet-stream', 'a dotfile has no extension')
    t.equal(new FileResponse('/a/Makefile').mediaType, 'application/octet-stream')
  })

  t.test('text-like files are sent with the charset browsers need; XML keeps the encoding it declares', async (t) => {
    const types = {
      'app.js': 'text/javascript; charset=utf-8',
      'module.mjs': 'text/javascript; charset=utf-8',
      'data.json': 'application/json; charset=utf-8',
      'app.js.map': 'application/json; charset=utf-8',
      'site.webmanifest': 'application/manifest+json; charset=utf-8',
      'map.geojson': 'application/geo+json; charset=utf-8',
      'feed.xml': 'application/xml',
      'logo.svg': 'image/svg+xml',
      'page.xhtml': 'application/xhtml+xml',
      'style.css': 'text/css; charset=utf-8',
      'notes.md': 'text/markdown; charset=utf-8'
    }
    for (const name of Object.keys(types)) fs.writeFileSync(path.join(dir, name), 'é')
    const app = await startApp(t, (app) => {
      app.get('/:name', (request, reply) => reply.fileResponse(path.join(dir, request.params.name)))
      app.get('/given/json', (request, reply) => reply.fileResponse(path.join(dir, 'data.json'), { mediaType: 'application/json' }))
    })
    for (const [name, type] of Object.entries(types)) {
      const res = await rawRequest(app, `GET /${name} HTTP/1.1`)
      t.ok(res.head.includes(`\r\ncontent-type: ${type}\r\n`), `${name}: ${type}`)
      t.same(res.body, Buffer.from('é'), name)
    }
    t.equal(new FileResponse('/a/app.js').mediaType, 'text/javascript')
    t.equal(new FileResponse('/a/data.json').mediaType, 'application/json; charset=utf-8')
    t.equal((await request(app, '/given/json')).headers['content-type'], 'application/json', 'a given mediaType is sent as given')
  })

  t.test('an empty filename: the type from the path, and Starlette\'s one form of content-disposition', async (t) => {
    const app = await startApp(t, (app) => {
      app.get('/', () => new FileResponse(smallPath, { filename: '' }))
    })
    const res = await rawRequest(app, 'GET / HTTP/1.1')
    t.ok(res.head.includes('\r\ncontent-type: image/png\r\n'), 'guessed from the path')
    t.ok(res.head.includes('\r\ncontent-disposition: attachment; filename=""\r\n'))
    t.notOk(res.head.includes('filename*'))
    t.same(res.body, content)
  })

  t.test('content-disposition forms', async (t) => {
    const app = await startApp(t, (app) => {
      app.get('/:case', (request, reply) => {
        const cases = {
          plain: ['example.png'],
          chinese: ['你好.txt'],
          inline: ['example.png', 'inline'],
          hostile: ['a"b\r\nSet-Cookie: x=1.txt']
        }
        const [filename, contentDispositionType] = cases[request.params.case]
        return reply.fileResponse(smallPath, { filename, contentDispositionType })
      })
    })
    t.equal((await request(app, '/plain')).headers['content-disposition'], 'attachment; filename="example.png"')
    t.equal((await request(app, '/chinese')).headers['content-disposition'], 'attachment; filename="__.txt"; filename*=utf-8\'\'%E4%BD%A0%E5%A5%BD.txt')
    t.equal((await request(app, '/inline')).headers['content-disposition'], 'inline; filename="example.png"')
    const hostile = await request(app, '/hostile')
    t.equal(hostile.headers['content-disposition'], 'attachment; filename="a_b__Set-Cookie: x=1.txt"; filename*=utf-8\'\'a%22b%0D%0ASet-Cookie%3A%20x%3D1.txt')
    t.equal(hostile.headers['set-cookie'], undefined, 'nothing injected')
    t.equal((await request(app, '/chinese')).headers['content-type'], 'text/plain; charset=utf-8', 'type guessed from the filename')
  })

  t.test('HEAD: same headers, no body, the file is never opened', async (t) => {
    const stat = fs.statSync(smallPath, { bigint: true })
    const app = await startApp(t, (app) => {
      app.get('/', () => new FileResponse(smallPath))
      // A path that does not exist with given stats: HEAD must not touch the disk.
      app.get('/given', () => new FileResponse(path.join(dir, 'not-there.png'), { stat }))
      app.head('/explicit', () => new FileResponse(largePath))
    })
    const get = await request(app, '/')
    const head = await request(app, '/', { method: 'HEAD' })
    t.equal(head.status, 200)
    t.equal(head.body.length, 0)
    for (const name of ['content-type', 'content-length', 'etag', 'last-modified', 'accept-ranges']) t.equal(head.headers[name], get.headers[name], name)
    const given = await request(app, '/given', { method: 'HEAD' })
    t.equal(given.status, 200)
    t.equal(given.headers.etag, get.headers.etag, 'same stats, same ETag')
    t.equal((await request(app, '/given')).status, 404, 'GET opens it and finds nothing')
    const explicit = await request(app, '/explicit', { method: 'HEAD' })
    t.equal(explicit.headers['content-length'], String(large.length), 'an explicit HEAD route too')
    const ranged = await request(app, '/', { method: 'HEAD', headers: { range: 'bytes=0-9' } })
    t.equal(ranged.status, 206)
    t.equal(ranged.headers['content-range'], 'bytes 0-9/1000')
    t.equal(ranged.body.length, 0)
  })

  t.test('single ranges', async (t) => {
    const app = await fileApp(t)
    const cases = [
      ['/small', 'bytes=0-10', 0, 10],
      ['/small', 'bytes=5-5', 5, 5],
      ['/small', 'bytes=0-2000', 0, 999],
      ['/small', 'bytes=-100', 900, 999],
      ['/small', 'bytes=-5000', 0, 999],
      ['/small', 'bytes=0-100, 50-200', 0, 200],
      ['/small', 'bytes=100, 0-50', 0, 50],
      ['/small', 'bytes= - , 0-50', 0, 50],
      ['/small', 'bytes=abc-def, 0-50', 0, 50],
      ['/small', 'bytes=0-1,2000-3000', 0, 1],
      ['/large', 'bytes=1000-200000', 1000, 200000],
      ['/large', 'bytes=307000-', 307000, large.length - 1]
    ]
    for (const [url, range, start, end] of cases) {
      const res = await request(app, url, { headers: { range } })
      const data = url === '/small' ? content : large
      t.equal(res.status, 206, range)
      t.equal(res.headers['content-range'], `bytes ${start}-${end}/${data.length}`, range)
      t.equal(res.headers['content-length'], String(end - start + 1), range)
      t.same(res.body, data.subarray(start, end + 1), range)
    }
  })

  t.test('multipart ranges: exact length, ascending, merged', async (t) => {
    const app = await fileApp(t)
    for (const [url, range, expected] of [
      ['/small', 'bytes=100-200, 0-50', [[0, 50], [100, 200]]],
      ['/small', 'bytes=0-1,10-19,5-10,-3', [[0, 1], [5, 19], [997, 999]]],
      ['/large', 'bytes=0-99999,200000-,150000-150001', [[0, 99999], [150000, 150001], [200000, large.length - 1]]]
    ]) {
      const res = await request(app, url, { headers: { range } })
      const data = url === '/small' ? content : large
      t.equal(res.status, 206)
      t.equal(res.headers['content-range'], undefined)
      t.match(res.headers['content-type'], /^multipart\/byteranges; boundary=[0-9a-f]+$/)
      t.equal(Number(res.headers['content-length']), res.body.length, 'exact content-length')
      const parts = parseByteranges(res.headers['content-type'], res.body)
      t.same(parts.map((p) => p.headers['Content-Range']), expected.map(([a, b]) => `bytes ${a}-${b}/${data.length}`))
      t.same(parts.map((p) => p.headers['Content-Type']), expected.map(() => url === '/small' ? 'image/png' : 'application/octet-stream'))
      parts.forEach((part, i) => t.same(part.data, data.subarray(expected[i][0], expected[i][1] + 1)))
    }
  })

  t.test('malformed and unsatisfiable ranges: Starlette\'s messages, no file headers', async (t) => {
    const app = await fileApp(t, { filename: 'example.png' })
    for (const [range, status, message] of [
      ['bytes: 0-1000', 400, 'Malformed range header.'],
      ['items=0-100', 400, 'Only support bytes range'],
      ['bytes=', 400, 'Range header: range must be requested'],
      ['bytes=100-0', 400, 'Range header: start must be less than end'],
      ['bytes=5-4', 400, 'Range header: start must be less than end'],
      ['bytes=1001-', 416, 'Range Not Satisfiable'],
      ['bytes=1000-1000,-0', 416, 'Range Not Satisfiable']
    ]) {
      const res = await request(app, '/small', { headers: { range } })
      t.equal(res.status, status, range)
      t.equal(JSON.parse(res.text).message, message, range)
      t.equal(res.headers['content-range'], status === 416 ? 'bytes */1000' : undefined)
      for (const name of ['etag', 'last-modified', 'accept-ranges', 'content-disposition']) t.equal(res.headers[name], undefined, `${range}: no ${name}`)
    }
    t.equal((await request(app, '/small')).status, 200, 'the server keeps serving')
  })

  t.test('more than maxRanges parts: the whole file', async (t) => {
    const app = await fileApp(t)
    const hundred = Array.from({ length: 100 }, (_, i) => `${i * 2}-${i * 2}`).join(',')
    const res100 = await request(app, '/small', { headers: { range: 'bytes=' + hundred } })
    t.equal(res100.status, 206)
    t.equal(parseByteranges(res100.headers['content-type'], res100.body).length, 100)
    const res101 = await request(app, '/small', { headers: { range: 'bytes=' + hundred + ',300-300' } })
    t.equal(res101.status, 200)
    t.same(res101.body, content)
    const commas = await request(app, '/small', { headers: { range: 'bytes=0-0' + ','.repeat(8000) } })
    t.equal(commas.status, 200, 'thousands of commas are ignored at once')
    const few = await startApp(t, (app) => { app.get('/', () => new FileResponse(smallPath)) }, { pluginOptions: { file: { maxRanges: 1 } } })
    t.equal((await request(few, '/', { headers: { range: 'bytes=0-0,5-5' } })).status, 200, 'plugin default maxRanges')
  })

  t.test('If-Range: exact strong match only', async (t) => {
    const app = await fileApp(t)
    const { headers } = await request(app, '/small', { method: 'HEAD' })
    const lastModified = new Date(headers['last-modified'])
    const cases = [
      [headers.etag, 206],
      [headers['last-modified'], 206],
      ['W/' + headers.etag, 200],
      ['"other"', 200],
      [new Date(lastModified.getTime() + 1000).toUTCString(), 200],
      [new Date(lastModified.getTime() - 1000).toUTCString(), 200]
    ]
    for (const [ifRange, status] of cases) {
      const res = await request(app, '/small', { headers: { range: 'bytes=0-9', 'if-range': ifRange } })
      t.equal(res.status, status, ifRange)
      t.equal(res.body.length, status === 206 ? 10 : 1000)
    }
    t.equal((await request(app, '/small', { headers: { range: 'nonsense', 'if-range': '"other"' } })).status, 200, 'a failed If-Range skips the Range')
  })

  t.test('conditional requests: 304 and 412', async (t) => {
    const app = await startApp(t, (app) => {
      app.get('/', () => new FileResponse(smallPath, { maxAge: 3600, filename: 'example.png', headers: { vary: 'accept' } }))
      app.post('/', () => new FileResponse(smallPath))
      app.get('/off', () => new FileResponse(smallPath, { conditional: false }))
      app.get('/mine', () => new FileResponse(smallPath, { headers: { etag: '"mine"' } }))
    })
    const { headers } = await request(app, '/', { method: 'HEAD' })
    t.equal(headers['cache-control'], 'public, max-age=3600')
    const notModified = await request(app, '/', { headers: { 'if-none-match': headers.etag } })
    t.equal(notModified.status, 304)
    t.equal(notModified.body.length, 0)
    t.equal(notModified.headers.etag, headers.etag)
    t.equal(notModified.headers['last-modified'], headers['last-modified'])
    t.equal(notModified.headers['cache-control'], 'public, max-age=3600')
    t.equal(notModified.headers.vary, 'accept')
    for (const name of ['content-length', 'content-type', 'content-disposition']) t.equal(notModified.headers[name], undefined, `no ${name}`)
    t.equal((await request(app, '/', { headers: { 'if-modified-since': headers['last-modified'] } })).status, 304)
    t.equal((await request(app, '/', { method: 'HEAD', headers: { 'if-none-match': '*' } })).status, 304)
    t.equal((await request(app, '/', { headers: { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' } })).status, 200)
    const failed = await request(app, '/', { headers: { 'if-match': '"other"' } })
    t.equal(failed.status, 412)
    t.equal(failed.headers.etag, undefined, 'no stale validators on the error')
    t.equal((await request(app, '/', { headers: { 'if-unmodified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' } })).status, 412)
    t.equal((await request(app, '/', { headers: { 'if-match': headers.etag, range: 'bytes=0-0' } })).status, 206, 'preconditions, then Range')
    t.equal((await request(app, '/', { method: 'POST', headers: { 'if-none-match': headers.etag } })).status, 412, '412 for other methods')
    t.equal((await request(app, '/', { method: 'POST', headers: { range: 'bytes=0-0' } })).status, 200, 'Range only for GET and HEAD')
    t.equal((await request(app, '/off', { headers: { 'if-none-match': headers.etag } })).status, 200, 'conditional: false')
    t.equal((await request(app, '/mine', { headers: { 'if-none-match': '"mine"' } })).status, 304, 'the user\'s ETag is the one compared')
    t.equal((await request(app, '/mine', { headers: { range: 'bytes=0-0', 'if-range': '"mine"' } })).status, 206)
  })

  t.test('validator and header options', async (t) => {
    const app = await startApp(t, (app) => {
      app.get('/no-etag', () => new FileResponse(smallPath, { etag: false, lastModified: false }))
      app.get('/weak', () => new FileResponse(smallPath, { etag: 'weak' }))
      app.get('/custom', () => new FileResponse(smallPath, { etag: (stats) => `"v${stats.size}"` }))
      app.get('/bad-etag', () => new FileResponse(smallPath, { etag: () => 'no quotes' }))
      app.get('/no-ranges', () => new FileResponse(smallPath, { acceptRanges: false }))
      app.get('/user', () => new FileResponse(smallPath, { headers: { 'content-type': 'x/y', 'content-length': '1000', 'cache-control': 'no-store' }, immutable: true, maxAge: 5 }))
      app.get('/status', (request, reply) => { reply.code(404); return smallPath })
      app.get('/from-path', { responseClass: FileResponse }, () => smallPath)
      app.get('/not-found-page', { responseClass: FileResponse }, (request, reply) => { reply.code(404); return smallPath })
    })
    const noEtag = await request(app, '/no-etag')
    t.equal(noEtag.headers.etag, undefined)
    t.equal(noEtag.headers['last-modified'], undefined)
    t.equal((await request(app, '/no-etag', { headers: { 'if-none-match': '*' } })).status, 304)
    const weak = await request(app, '/weak')
    t.match(weak.headers.etag, /^W\/"[0-9a-f]{32}"$/)
    t.equal((await request(app, '/weak', { headers: { 'if-none-match': weak.headers.etag.slice(2) } })).status, 304, 'weak comparison')
    t.equal((await request(app, '/weak', { headers: { range: 'bytes=0-0', 'if-range': weak.headers.etag } })).status, 200)
    t.equal((await request(app, '/custom')).headers.etag, '"v1000"')
    const bad = await request(app, '/bad-etag')
    t.equal(bad.status, 500)
    t.equal(JSON.parse(bad.text).code, 'FST_RESPONSES_INVALID_OPTION')
    const noRanges = await request(app, '/no-ranges', { headers: { range: 'bytes=0-0' } })
    t.equal(noRanges.status, 200)
    t.equal(noRanges.headers['accept-ranges'], undefined)
    const user = await request(app, '/user', { headers: { range: 'bytes=0-1,4-5' } })
    t.equal(user.headers['cache-control'], 'no-store', 'user headers win')
    t.match(user.headers['content-type'], /^multipart\/byteranges/)
    t.equal(parseByteranges(user.headers['content-type'], user.body)[0].headers['Content-Type'], 'x/y', 'parts carry the user\'s type')
    t.equal((await request(app, '/user')).headers['content-type'], 'x/y')
    const page = await request(app, '/not-found-page', { headers: { range: 'bytes=0-0', 'if-none-match': '*' } })
    t.equal(page.status, 404, 'a file sent with another status ignores Range and conditions')
    t.same(page.body, content)
    t.same((await request(app, '/from-path')).body, content, 'responseClass: the handler returns the path')
  })

  t.test('app-wide defaults from the plugin option `file`, instance options win', async (t) => {
    const app = await startApp(t, (app) => {
      app.get('/', () => new FileResponse('example.png'))
      app.get('/programmer', () => new FileResponse(smallPath, { root: false }))
      app.get('/own', () => new FileResponse(smallPath, { root: '/', cacheControl: 'no-cache', contentDispositionType: 'attachment', filename: 'x.png' }))
    }, { pluginOptions: { file: { root: dir, maxAge: 60, immutable: true, contentDispositionType: 'inline' } } })
    const res = await request(app, '/')
    t.same(res.body, content)
    t.equal(res.headers['cache-control'], 'public, max-age=60, immutable')
    const own = await request(app, '/own')
    t.equal(own.status, 403, 'an absolute path is refused under a root')
    t.same((await request(app, '/programmer')).body, content, 'root: false opts out of the app-wide root')
    await t.rejects(Fastify().register(fastifyResponses, { file: { nope: 1 } }).ready(), { code: 'FST_RESPONSES_INVALID_OPTION', message: 'Invalid option: file: unknown option "nope"' })
    await t.rejects(Fastify().register(fastifyResponses, { file: 5 }).ready(), { code: 'FST_RESPONSES_INVALID_OPTION' })
    await t.rejects(Fastify().register(fastifyResponses, { file: null }).ready(), { code: 'FST_RESPONSES_INVALID_OPTION' })
    await t.rejects(Fastify().register(fastifyResponses, { file: { chunkSize: 0 } }).ready(), { code: 'FST_RESPONSES_INVALID_OPTION' })
  })

  t.test('instance defaults override the app\'s cache headers', async (t) => {
    const app = await startApp(t, (app) => {
      app.get('/', () => new FileResponse(smallPath, { cacheControl: 'no-cache' }))
      app.get('/default', () => new FileResponse(smallPath))
    }, { pluginOptions: { file: { maxAge: 60 } } })
    t.equal((await request(app, '/')).headers['cache-control'], 'no-cache')
    t.equal((await request(app, '/default')).headers['cache-control'], 'public, max-age=60')
  })

  t.test('constructor checks', async (t) => {
    t.throws(() => new FileResponse(42), { code: 'FST_RESPONSES_INVALID_CONTENT' })
    t.throws(() => new FileResponse('a', { filename: 3 }), { code: 'FST_RESPONSES_INVALID_OPTION' })
    t.throws(() => new FileResponse('a', { maxRanges: -1 }), { code: 'FST_RESPONSES_INVALID_OPTION', message: 'Invalid option: FileResponse.maxRanges must be a positive integer' })
    t.throws(() => new FileResponse('a', { unknown: 1 }), { code: 'FST_RESPONSES_INVALID_OPTION' })
    t.throws(() => new FileResponse('a', { stat: { size: 1 } }), { code: 'FST_RESPONSES_INVALID_OPTION' })
    t.throws(() => new FileResponse('a', { stat: null }), { code: 'FST_RESPONSES_INVALID_OPTION' })
    const response = new FileResponse('/x/a.txt', { filename: 'b.csv' })
    t.equal(response.path, '/x/a.txt')
    t.equal(response.filename, 'b.csv')
    t.equal(response.mediaType, 'text/csv')
  })

  t.test('an empty file', async (t) => {
    const empty = path.join(dir, 'empty.txt')
    fs.writeFileSync(empty, '')
    const app = await startApp(t, (app) => { app.get('/', () => new FileResponse(empty)) })
    const res = await request(app, '/')
    t.equal(res.status, 200)
    t.equal(res.headers['content-length'], '0')
    t.equal(res.body.length, 0)
    const ranged = await request(app, '/', { headers: { range: 'bytes=0-' } })
    t.equal(ranged.status, 416)
    t.equal(ranged.headers['content-range'], 'bytes */0')
  })

  t.test('one instance sent many times', async (t) => {
    const response = new FileResponse(largePath, { filename: 'large.bin' })
    const app = await startApp(t, (app) => { app.get('/', () => response) })
    for (const range of [undefined, 'bytes=0-9', undefined, 'bytes=0-0,10-10']) {
      const res = await request(app, '/', { headers: range === undefined ? {} : { range } })
      t.equal(res.status, range === undefined ? 200 : 206)
      if (range === undefined) t.same(res.body, large)
    }
    t.equal(response.headers.has('content-range'), false, 'sending never mutates the instance')
  })

  t.test('missing file, directory: 404 without the path or file headers', async (t) => {
    const app = await startApp(t, (app) => {
      app.get('/missing', () => new FileResponse(path.join(dir, 'missing.png'), { filename: 'x.png' }))
      app.get('/dir', () => new FileResponse(dir))
      app.get('/dir-head', () => new FileResponse(dir))
      app.get('/nul', () => new FileResponse(smallPath + '\0.png'))
    })
    for (const [url, method] of [['/missing', 'GET'], ['/missing', 'HEAD'], ['/dir', 'GET'], ['/dir-head', 'HEAD'], ['/nul', 'GET'], ['/nul', 'HEAD']]) {
      const res = await request(app, url, { method })
      t.equal(res.status, 404, `${method} ${url}`)
      if (method === 'GET') {
        t.equal(JSON.parse(res.text).code, 'FST_RESPONSES_FILE_NOT_FOUND')
        t.notOk(res.text.includes(dir), 'no server path in the body')
      }
      for (const name of ['etag', 'accept-ranges', 'content-disposition', 'last-modified']) t.equal(res.headers[name], undefined, name)
    }
  })

  t.test('descriptors are closed after finished, aborted and failed responses', async (t) => {
    const huge = path.join(dir, 'huge.bin')
    fs.writeFileSync(huge, Buffer.alloc(32 * 1024 * 1024, 7))
    const app = await startApp(t, (app) => {
      app.get('/huge', () => new FileResponse(huge))
      app.get('/multi', () => new FileResponse(huge, { chunkSize: 4096 }))
      app.register(async (scope) => {
        scope.addHook('onSend', async () => { throw new Error('hook failed') })
        scope.get('/hook-fails', () => new FileResponse(huge))
      })
    })
    t.equal(descriptorsOf(huge), 0)
    for (const [url, headers] of [['/huge', {}], ['/multi', { range: 'bytes=0-10,20000000-' }]]) {
      await new Promise((resolve, reject) => {
        const req = http.get(app.baseUrl + url, { agent: false, headers }, (res) => {
          res.once('data', () => {
            t.equal(descriptorsOf(huge), 1, `${url}: open while streaming`)
            req.destroy()
            resolve()
          })
        })
        req.on('error', reject)
      })
      t.equal(await settledDescriptorsOf(huge), 0, `${url}: an aborted download leaves no descriptor open`)
    }
    const full = await request(app, '/multi', { headers: { range: 'bytes=0-10,100-200' } })
    t.equal(full.status, 206)
    t.equal(await settledDescriptorsOf(huge), 0, 'finished')
    const failed = await request(app, '/hook-fails')
    t.equal(failed.status, 500)
    t.equal(await settledDescriptorsOf(huge), 0, 'replaced by an error response')
    t.equal((await request(app, '/huge', { headers: { range: 'bytes=0-0' } })).status, 206, 'the server keeps serving')
  })

  t.test('root: traversal attempts are refused and the server keeps serving', async (t) => {
    const root = path.join(dir, 'public')
    fs.mkdirSync(path.join(root, 'sub'), { recursive: true })
    fs.writeFileSync(path.join(root, 'sub', 'a.txt'), 'inside')
    fs.writeFileSync(path.join(root, '.env'), 'SECRET=1')
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP-SECRET-CONTENT')
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'link.txt'))
    const app = await startApp(t, (app) => {
      app.get('/files/*', { responseClass: FileResponse }, (request) => request.params['*'])
      app.get('/dots/*', (request, reply) => reply.fileResponse(request.params['*'], { dotfiles: 'allow' }))
    }, { pluginOptions: { file: { root } } })
    const attempts = [
      '/files/..%2Fsecret.txt', '/files/%2e%2e/secret.txt', '/files/sub/..%2F..%2Fsecret.txt', '/files/%252e%252e%252fsecret.txt',
      '/files/sub%5C..%5C..%5Csecret.txt', '/files/%2Fetc%2Fpasswd', '/files/link.txt', '/files/a%00.txt', '/files/.env', '/dots/..%2Fsecret.txt'
    ]
    for (const url of attempts) {
      const res = await request(app, url)
      t.ok([403, 404].includes(res.status), `${url} → ${res.status}`)
      t.notOk(res.text.includes('TOP-SECRET') || res.text.includes('SECRET=1'), 'nothing leaks')
      t.notOk(res.text.includes(dir), 'no server path')
    }
    t.equal((await request(app, '/files/.env')).status, 404, 'dotfiles ignored by default')
    t.equal((await request(app, '/dots/.env')).text, 'SECRET=1', 'dotfiles: allow')
    const ok = await request(app, '/files/sub/a.txt')
    t.equal(ok.status, 200)
    t.equal(ok.text, 'inside')
  })

  t.test('root: a symlink to a dotfile is refused as the dotfile itself is', async (t) => {
    const root = path.join(dir, 'linked')
    fs.mkdirSync(path.join(root, '.git'), { recursive: true })
    fs.writeFileSync(path.join(root, '.env'), 'SECRET=1')
    fs.writeFileSync(path.join(root, '.git', 'config'), '[core] SECRET=2')
    fs.symlinkSync('.env', path.join(root, 'link'))
    fs.symlinkSync('.git/config', path.join(root, 'link-git'))
    fs.symlinkSync('.git', path.join(root, 'git'))
    const app = await startApp(t, (app) => {
      for (const dotfiles of ['ignore', 'deny', 'allow']) {
        app.get(`/${dotfiles}/*`, (request, reply) => reply.fileResponse(request.params['*'], { root, dotfiles }))
      }
    })
    for (const [name, text] of [['link', 'SECRET=1'], ['link-git', '[core] SECRET=2'], ['git/config', '[core] SECRET=2']]) {
      const ignored = await request(app, '/ignore/' + name)
      t.equal(ignored.status, 404, `ignore: ${name}`)
      t.notOk(ignored.text.includes('SECRET'), `ignore: ${name} does not leak`)
      const denied = await request(app, '/deny/' + name)
      t.equal(denied.status, 403, `deny: ${name}`)
      t.notOk(denied.text.includes('SECRET'), `deny: ${name} does not leak`)
      t.equal((await request(app, '/allow/' + name)).text, text, `allow: ${name} is served`)
    }
  })

  t.test('routes declared before the plugin: streamed and buffered files', async (t) => {
    const app = Fastify()
    app.get('/large', () => new FileResponse(largePath))
    app.get('/small', () => new FileResponse(smallPath, { filename: 'example.png' }))
    await app.register(fastifyResponses, cache === undefined ? undefined : { file: { cache } })
    t.teardown(() => app.close())
    const largeRes = await app.inject('/large')
    t.equal(largeRes.headers['content-type'], 'application/octet-stream')
    t.same(largeRes.rawPayload, large)
    const smallRes = await app.inject({ url: '/small', headers: { range: 'bytes=0-9' } })
    t.equal(smallRes.statusCode, 206)
    t.equal(smallRes.headers['content-type'], 'image/png')
    t.same(smallRes.rawPayload, content.subarray(0, 10))
  })

  t.test('a file instance has no buffered body, and says so', async (t) => {
    const { FileResponse: File, errors } = require('fastify-responses')
    t.throws(() => new File(__filename).body, errors.FST_RESPONSES_INVALID_CONTENT)
    t.throws(() => new File(__filename).body, /FileResponse has no body/)
  })
}
