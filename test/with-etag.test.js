'use strict'
// @fastify/etag side by side: a response's own ETag (a file's, or one set in its headers) is the
// only one sent, and no ETag is ever computed over a part of a file (206); other bodies get
// @fastify/etag's.
const t = require('tap')
const fs = require('node:fs')
const { startApp, request } = require('./helpers')
const { parseByteranges } = require('./byteranges')
const { HTMLResponse } = require('fastify-responses')

const content = fs.readFileSync(__filename)
const etagLines = (res) => res.rawHeaders.filter((name, i) => i % 2 === 0 && name.toLowerCase() === 'etag').length

async function etagApp (t) {
  return startApp(t, async (app) => {
    await app.register(require('@fastify/etag'))
    app.get('/file', (request, reply) => reply.fileResponse(__filename))
    app.get('/file-without-etag', (request, reply) => reply.fileResponse(__filename, { etag: false }))
    app.get('/page', () => new HTMLResponse('<p>page</p>'))
    app.get('/tagged', () => new HTMLResponse('<p>tagged</p>', { headers: { etag: '"v1"' } }))
  })
}

t.test("a file's ETag is the one sent, on the whole file and on its parts", async (t) => {
  const app = await etagApp(t)
  const whole = await request(app, '/file')
  t.match(whole.headers.etag, /^"[0-9a-f]{32}"$/, "the file's")
  t.equal(etagLines(whole), 1)
  for (const range of ['bytes=0-9', 'bytes=0-9,20-29']) {
    const part = await request(app, '/file', { headers: { range } })
    t.equal(part.status, 206, range)
    t.equal(part.headers.etag, whole.headers.etag, `${range}: the file's ETag`)
    t.equal(etagLines(part), 1, `${range}: one ETag line`)
  }
  const notModified = await request(app, '/file', { headers: { 'if-none-match': whole.headers.etag } })
  t.equal(notModified.status, 304)
  t.equal(etagLines(notModified), 1)
})

t.test('no ETag is computed over a part of a file sent without one', async (t) => {
  const app = await etagApp(t)
  const single = await request(app, '/file-without-etag', { headers: { range: 'bytes=0-9' } })
  t.equal(single.status, 206)
  t.same(single.body, content.subarray(0, 10))
  t.equal(single.headers.etag, undefined)
  const multi = await request(app, '/file-without-etag', { headers: { range: 'bytes=0-9,20-29' } })
  t.equal(multi.status, 206)
  t.same(parseByteranges(multi.headers['content-type'], multi.body).map((part) => part.data), [content.subarray(0, 10), content.subarray(20, 30)])
  t.equal(multi.headers.etag, undefined)
  const whole = await request(app, '/file-without-etag')
  t.match(whole.headers.etag, /^"/, "the whole file's bytes get @fastify/etag's, as any body")
})

t.test("a response's own ETag is kept; other bodies get @fastify/etag's", async (t) => {
  const app = await etagApp(t)
  const tagged = await request(app, '/tagged')
  t.equal(tagged.headers.etag, '"v1"')
  t.equal(etagLines(tagged), 1)
  const page = await request(app, '/page')
  t.match(page.headers.etag, /^"/)
  t.equal(etagLines(page), 1)
  t.equal((await request(app, '/page', { headers: { 'if-none-match': page.headers.etag } })).status, 304)
})
