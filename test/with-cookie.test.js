'use strict'
// @fastify/cookie side by side: a cookie both set under one name reaches the client twice, the
// response's line last, so browsers keep the response's value; whichever plugin is registered
// first, and on routes with onSend hooks of their own.
const t = require('tap')
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')
const { request } = require('./helpers')
const { PlainTextResponse } = fastifyResponses

const names = (res) => [res.headers['set-cookie']].flat().map((line) => line.split(';')[0])

/** What a browser keeps of the set-cookie lines: per name (one domain and path here), the last. */
const kept = (res) => Object.fromEntries(names(res).map((pair) => pair.split('=')))

async function cookieApp (t, order) {
  const app = Fastify()
  const plugins = [[require('@fastify/cookie')], [fastifyResponses]]
  for (const [plugin] of order === 'cookie first' ? plugins : plugins.reverse()) await app.register(plugin)
  const theirs = (reply) => reply.setCookie('session', 'theirs', { path: '/' })
  const ours = () => new PlainTextResponse('x').setCookie('session', 'ours')
  app.get('/decorator', (request, reply) => {
    theirs(reply)
    return reply.sendResponse(ours())
  })
  app.get('/returned', (request, reply) => {
    theirs(reply)
    return ours()
  })
  app.get('/send', (request, reply) => {
    theirs(reply)
    reply.send(ours())
  })
  app.get('/hook', { onSend: (request, reply, payload, done) => done(null, payload) }, (request, reply) => {
    theirs(reply)
    return ours()
  })
  app.get('/hooks', { onSend: [(request, reply, payload, done) => done(null, payload)] }, (request, reply) => {
    theirs(reply)
    return ours()
  })
  app.get('/theirs-only', (request, reply) => {
    theirs(reply)
    return new PlainTextResponse('x')
  })
  app.get('/ours-only', () => new PlainTextResponse('x', { headers: { 'set-cookie': 'session=ours' } }))
  app.get('/set-header', (request, reply) => {
    theirs(reply)
    const response = new PlainTextResponse('x')
    response.headers.set('set-cookie', 'session=ours')
    return response
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  app.baseUrl = `http://127.0.0.1:${app.server.address().port}`
  return app
}

for (const order of ['cookie first', 'responses first']) {
  t.test(`${order}: of a cookie both set, the response's line comes last, so browsers keep its value`, async (t) => {
    const app = await cookieApp(t, order)
    for (const path of ['/decorator', '/returned', '/send', '/hook', '/hooks', '/set-header']) {
      const res = await request(app, path)
      t.same(names(res), ['session=theirs', 'session=ours'], `${path}: both lines, the response's last`)
      t.same(kept(res), { session: 'ours' }, `${path}: the response's value wins`)
    }
    t.same(names(await request(app, '/theirs-only')), ['session=theirs'], "@fastify/cookie's alone")
    t.same(names(await request(app, '/ours-only')), ['session=ours'], "the response's alone")
  })
}
