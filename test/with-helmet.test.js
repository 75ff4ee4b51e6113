'use strict'
// @fastify/helmet side by side: its security headers reach every way of sending, and a header
// the response sets itself wins.
const t = require('tap')
const { startApp, request } = require('./helpers')
const { ways, addRoutes } = require('./ways-of-sending')
const { HTMLResponse } = require('fastify-responses')

async function helmetApp (t) {
  return startApp(t, async (app) => {
    await app.register(require('@fastify/helmet'))
    await addRoutes(app)
    app.get('/own', () => new HTMLResponse('<p>own</p>', { headers: { 'x-frame-options': 'DENY' } }))
  })
}

t.test('the security headers reach every way of sending', async (t) => {
  const app = await helmetApp(t)
  for (const { name, path } of ways) {
    const res = await request(app, path)
    t.ok(res.status < 400, `${name}: sent`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${name}: x-content-type-options`)
    t.equal(res.headers['x-frame-options'], 'SAMEORIGIN', `${name}: x-frame-options`)
    t.match(res.headers['content-security-policy'], /default-src 'self'/, `${name}: content-security-policy`)
    t.equal(res.headers['cross-origin-resource-policy'], 'same-origin', `${name}: cross-origin-resource-policy`)
  }
})

t.test("a security header the response sets itself wins over @fastify/helmet's", async (t) => {
  const app = await helmetApp(t)
  const res = await request(app, '/own')
  t.equal(res.headers['x-frame-options'], 'DENY')
  t.equal(res.rawHeaders.filter((name) => name.toLowerCase() === 'x-frame-options').length, 1, 'one x-frame-options line')
  t.equal(res.headers['x-content-type-options'], 'nosniff', "helmet's other headers are kept")
})
