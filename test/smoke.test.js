'use strict'
const t = require('tap')
const { startApp, request } = require('./helpers')
const { HTMLResponse } = require('fastify-responses')

t.test('html response arrives over http', async (t) => {
  const app = await startApp(t, (app) => { app.get('/', () => new HTMLResponse('<h1>hi</h1>')) })
  const res = await request(app, '/')
  t.equal(res.status, 200)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(res.text, '<h1>hi</h1>')
})
