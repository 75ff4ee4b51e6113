'use strict'
// @fastify/static side by side: no decorator clash, both send the same file (ours with Starlette's
// strong ETag, @fastify/static with @fastify/send's weak one), and @fastify/static's own routes
// keep serving under a defaultResponseClass.
const t = require('tap')
const path = require('node:path')
const { startApp, request } = require('./helpers')
const { HTMLResponse } = require('fastify-responses')

t.test('reply.sendFile and reply.fileResponse send the same file in one app', async (t) => {
  const app = await startApp(t, async (app) => {
    await app.register(require('@fastify/static'), { root: __dirname, serve: false })
    app.get('/static', (request, reply) => reply.sendFile(path.basename(__filename)))
    app.get('/ours', (request, reply) => reply.fileResponse(__filename))
  })
  const [theirs, ours] = await Promise.all([request(app, '/static'), request(app, '/ours')])
  t.equal(theirs.status, 200)
  t.equal(ours.status, 200)
  t.same(ours.body, theirs.body, 'both send the same file')
  t.match(ours.headers.etag, /^"[0-9a-f]{32}"$/, 'ours with a strong ETag')
  t.match(theirs.headers.etag, /^W\//, '@fastify/static with its weak one')
})

t.test("@fastify/static's routes serve under a defaultResponseClass", async (t) => {
  const app = await startApp(t, async (app) => {
    await app.register(require('@fastify/static'), { root: __dirname, prefix: '/assets/' })
    app.get('/', () => '<p>home</p>')
  }, { pluginOptions: { defaultResponseClass: HTMLResponse } })
  const asset = await request(app, `/assets/${path.basename(__filename)}`)
  t.equal(asset.status, 200)
  t.match(asset.headers['content-type'], /javascript/)
  t.equal(asset.text, require('node:fs').readFileSync(__filename, 'utf8'))
  const missing = await request(app, '/assets/missing.js')
  t.equal(missing.status, 404)
  const home = await request(app, '/')
  t.equal(home.headers['content-type'], 'text/html; charset=utf-8')
})
