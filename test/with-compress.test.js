'use strict'
// @fastify/compress side by side: a FileResponse is sent as the bytes on disk that its ETag,
// ranges and content-length describe, so a resumed download is whole and HEAD matches GET; a
// precompressed file keeps the content-encoding it is sent with; other responses are compressed;
// JSON lines, like events, are not in compress's default types and go uncompressed, line by line.
const t = require('tap')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const zlib = require('node:zlib')
const { startApp, request } = require('./helpers')
const { open, until } = require('./stream-client')
const { HTMLResponse } = require('fastify-responses')

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'with-compress-'))
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
// Text compresses well; one file is read into one Buffer, the other streamed (past chunkSize).
const files = {
  small: Buffer.from('a line of text that gzip would shrink\n'.repeat(100)),
  large: Buffer.from('another line of text that gzip would shrink\n'.repeat(4000))
}
for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, `${name}.txt`), content)
const gzipped = zlib.gzipSync(files.large)
fs.writeFileSync(path.join(dir, 'large.txt.gz'), gzipped)

const gzip = { 'accept-encoding': 'gzip, deflate, br' }

async function compressApp (t, compressOptions) {
  let seen
  const app = await startApp(t, async (app) => {
    await app.register(require('@fastify/compress'), compressOptions)
    app.get('/files/:name', (request, reply) => reply.fileResponse(path.join(dir, `${request.params.name}.txt`)))
    app.get('/precompressed', (request, reply) => reply.fileResponse(path.join(dir, 'large.txt.gz'), {
      mediaType: 'text/plain', headers: { 'content-encoding': 'gzip', vary: 'accept-encoding' }
    }))
    app.get('/page', () => new HTMLResponse('<p>compress me</p>'.repeat(200)))
    app.get('/jsonl', (request, reply) => reply.jsonLinesResponse((async function * () {
      yield { n: 1 }
      await new Promise((resolve) => { app.release = resolve })
      yield { n: 2 }
    })()))
    app.get('/jsonl-array', (request, reply) => reply.jsonLinesResponse([{ n: 1 }, { n: 2 }]))
    app.addHook('onResponse', async (request) => { seen = { headers: request.headers, raw: request.raw.headers } })
  })
  app.seen = () => seen
  return app
}

t.test('a FileResponse is sent as it is on disk, with its strong ETag, length and ranges', async (t) => {
  const app = await compressApp(t, { threshold: 0 })
  for (const [name, content] of Object.entries(files)) {
    const res = await request(app, `/files/${name}`, { headers: gzip })
    t.equal(res.headers['content-encoding'], undefined, `${name}: no content coding`)
    t.same(res.body, content, `${name}: the bytes on disk`)
    t.equal(res.headers['content-length'], String(content.length), `${name}: their length`)
    t.match(res.headers.etag, /^"[0-9a-f]{32}"$/, `${name}: a strong ETag`)
    t.equal(res.headers['accept-ranges'], 'bytes', `${name}: ranges`)
    t.equal(res.headers.vary, undefined, `${name}: the same for every accept-encoding`)
    const head = await request(app, `/files/${name}`, { method: 'HEAD', headers: gzip })
    t.same({ ...head.headers, date: undefined }, { ...res.headers, date: undefined }, `${name}: HEAD announces what GET sends`)
  }
})

t.test('a download resumed with If-Range and Range gets the bytes after those it has', async (t) => {
  const app = await compressApp(t, { threshold: 0 })
  const first = await request(app, '/files/large', { headers: gzip })
  const received = first.body.subarray(0, 50000)
  const rest = await request(app, '/files/large', { headers: { ...gzip, 'if-range': first.headers.etag, range: `bytes=${received.length}-` } })
  t.equal(rest.status, 206)
  t.equal(rest.headers['content-encoding'], undefined)
  t.same(Buffer.concat([received, rest.body]), files.large, 'the two parts make the file')
})

t.test("the request gets compress's x-no-compression; its raw headers stay as the client sent them", async (t) => {
  const app = await compressApp(t)
  await request(app, '/files/small', { headers: gzip })
  t.equal(app.seen().headers['x-no-compression'], 'identity')
  t.equal(app.seen().raw['x-no-compression'], undefined)
  await request(app, '/files/small', { headers: { ...gzip, 'x-no-compression': 'client' } })
  t.equal(app.seen().headers['x-no-compression'], 'client', 'a value the client sent is kept')
  await request(app, '/page', { headers: gzip })
  t.equal(app.seen().headers['x-no-compression'], undefined, 'other responses leave the request alone')
})

t.test('a precompressed file keeps its content-encoding; ranges are over the bytes sent', async (t) => {
  const app = await compressApp(t, { threshold: 0 })
  const res = await request(app, '/precompressed', { headers: gzip })
  t.equal(res.headers['content-encoding'], 'gzip')
  t.same(res.body, gzipped, 'the file as it is, not compressed twice')
  t.same(zlib.gunzipSync(res.body), files.large)
  const part = await request(app, '/precompressed', { headers: { ...gzip, range: 'bytes=10-19' } })
  t.equal(part.status, 206)
  t.same(part.body, gzipped.subarray(10, 20))
})

t.test('other responses are still compressed', async (t) => {
  const app = await compressApp(t)
  const res = await request(app, '/page', { headers: gzip })
  t.equal(res.headers['content-encoding'], 'br')
  t.equal(zlib.brotliDecompressSync(res.body).toString(), '<p>compress me</p>'.repeat(200))
})

t.test('JSON lines are not in compress\'s default types: sent uncompressed, each line as it comes', async (t) => {
  const app = await compressApp(t, { threshold: 0 })
  const lines = await open(app, '/jsonl', { headers: gzip })
  t.equal(lines.headers['content-encoding'], undefined)
  await until(() => lines.text() === '{"n":1}\n')
  t.pass('the first line arrived while the source was still running')
  app.release()
  t.equal(await lines.ended, 'complete')
  t.equal(lines.text(), '{"n":1}\n{"n":2}\n')
})

t.test('JSON lines are compressed when customTypes names them', async (t) => {
  const app = await compressApp(t, { threshold: 0, customTypes: /^application\/jsonl$/ })
  const res = await request(app, '/jsonl-array', { headers: { 'accept-encoding': 'gzip' } })
  t.equal(res.headers['content-encoding'], 'gzip')
  t.equal(zlib.gunzipSync(res.body).toString(), '{"n":1}\n{"n":2}\n')
})
