'use strict'
// @fastify/rate-limit side by side: its headers reach every way of sending, and a request over
// the limit gets its 429 before the handler runs, whatever the route's response class.
const t = require('tap')
const { startApp, request } = require('./helpers')
const { ways, addRoutes } = require('./ways-of-sending')

t.test('every way of sending carries the rate-limit headers, then gets the 429 over the limit', async (t) => {
  let handled = 0
  const app = await startApp(t, async (app) => {
    // One bucket per path, so each route's first request is under the limit.
    await app.register(require('@fastify/rate-limit'), { max: 1, timeWindow: 60000, keyGenerator: (request) => request.url })
    app.addHook('preHandler', async () => { handled++ })
    await addRoutes(app)
  })
  for (const { name, path } of ways) {
    const first = await request(app, path)
    t.ok(first.status < 400, `${name}: the first request is sent`)
    t.equal(first.headers['x-ratelimit-limit'], '1', `${name}: x-ratelimit-limit`)
    t.equal(first.headers['x-ratelimit-remaining'], '0', `${name}: x-ratelimit-remaining`)
    t.match(first.headers['x-ratelimit-reset'], /^\d+$/, `${name}: x-ratelimit-reset`)

    const before = handled
    const second = await request(app, path)
    t.equal(second.status, 429, `${name}: over the limit`)
    t.equal(handled, before, `${name}: neither the route's preHandler hook nor its handler ran`)
    t.match(second.headers['retry-after'], /^\d+$/, `${name}: retry-after`)
    t.equal(second.headers['x-ratelimit-remaining'], '0', `${name}: x-ratelimit-remaining on the 429`)
    t.match(second.headers['content-type'], /^application\/json/, `${name}: the 429 is @fastify/rate-limit's JSON`)
    t.match(JSON.parse(second.text), { statusCode: 429, error: 'Too Many Requests' }, `${name}: its body`)
  }
})
