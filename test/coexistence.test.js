'use strict'
// fastify-responses registers side by side with @fastify/static and @fastify/cookie: no decorator
// clash, and each plugin's reply methods work in the same app.
const t = require('tap')
const path = require('node:path')
const { startApp, request } = require('./helpers')
const { JSONResponse } = require('fastify-responses')

t.test('@fastify/static and @fastify/cookie register beside the plugin and all three send', async (t) => {
  const app = await startApp(t, async (app) => {
    await app.register(require('@fastify/static'), { root: __dirname, serve: false })
    await app.register(require('@fastify/cookie'))
    app.get('/static', (request, reply) => reply.sendFile(path.basename(__filename)))
    app.get('/ours', (request, reply) => reply.fileResponse(__filename))
    app.get('/cookies', (request, reply) => {
      reply.setCookie('theirs', 'a')
      return new JSONResponse({ ok: true }).setCookie('ours', 'b')
    })
  })
  const [theirs, ours] = await Promise.all([request(app, '/static'), request(app, '/ours')])
  t.equal(theirs.status, 200)
  t.equal(ours.status, 200)
  t.same(ours.body, theirs.body, 'both send the same file')
  t.match(ours.headers.etag, /^"[0-9a-f]{32}"$/, 'ours with a strong ETag')
  t.match(theirs.headers.etag, /^W\//, '@fastify/static with its weak one')

  const cookies = await request(app, '/cookies')
  t.same(cookies.headers['set-cookie'].map((line) => line.split(';')[0]).sort(), ['ours=b', 'theirs=a'])
  t.equal(cookies.text, '{"ok":true}')
})
