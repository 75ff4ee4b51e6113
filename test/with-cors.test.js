'use strict'
// @fastify/cors side by side: its headers reach every way of sending, a header the response sets
// itself wins, and preflight requests stay @fastify/cors's.
const t = require('tap')
const { startApp, request } = require('./helpers')
const { ways, addRoutes } = require('./ways-of-sending')
const { PlainTextResponse } = require('fastify-responses')

const origin = 'https://client.example'

async function corsApp (t) {
  return startApp(t, async (app) => {
    // A list of origins: the allowed one is reflected, with `vary: origin`.
    await app.register(require('@fastify/cors'), { origin: [origin], exposedHeaders: ['x-total'] })
    await addRoutes(app)
    app.get('/own', () => new PlainTextResponse('own', { headers: { 'access-control-allow-origin': '*' } }))
  })
}

t.test('the CORS headers reach every way of sending', async (t) => {
  const app = await corsApp(t)
  for (const { name, path } of ways) {
    const res = await request(app, path, { headers: { origin } })
    t.ok(res.status < 400, `${name}: sent`)
    t.equal(res.headers['access-control-allow-origin'], origin, `${name}: allow-origin`)
    t.equal(res.headers['access-control-expose-headers'], 'x-total', `${name}: expose-headers`)
    t.match(res.headers.vary, /origin/i, `${name}: vary`)
  }
})

t.test("a CORS header the response sets itself wins over @fastify/cors's", async (t) => {
  const app = await corsApp(t)
  const res = await request(app, '/own', { headers: { origin } })
  t.equal(res.headers['access-control-allow-origin'], '*')
  t.equal(res.text, 'own')
})

t.test('a preflight request is answered by @fastify/cors', async (t) => {
  const app = await corsApp(t)
  const res = await request(app, '/decorator', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } })
  t.equal(res.status, 204)
  t.equal(res.headers['access-control-allow-origin'], origin)
  t.equal(res.text, '')
})
