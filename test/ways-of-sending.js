'use strict'
// One route for each way a response reaches the wire, for the tests of plugins that work around
// it (headers, limits, cookies): `addRoutes(app)` declares them, `ways` names their paths.
const fastifyResponses = require('fastify-responses')
const { HTMLResponse, PlainTextResponse } = fastifyResponses

const ways = [
  { name: 'a decorator', path: '/decorator' },
  { name: 'a returned instance', path: '/returned' },
  { name: 'reply.send(instance)', path: '/send' },
  { name: 'a responseClass', path: '/response-class' },
  { name: 'a defaultResponseClass', path: '/default/class' },
  { name: 'a stream', path: '/stream' },
  { name: 'JSON lines', path: '/jsonl' },
  { name: 'events', path: '/events' },
  { name: 'a file', path: '/file' },
  { name: 'a redirect', path: '/redirect' }
]

/** Declares the routes of `ways` on an app that registered the plugin (`options` go to every route). */
async function addRoutes (app, options = {}) {
  app.get('/decorator', options, (request, reply) => reply.htmlResponse('<p>decorator</p>'))
  app.get('/returned', options, () => new HTMLResponse('<p>returned</p>'))
  app.get('/send', options, (request, reply) => { reply.send(new HTMLResponse('<p>send</p>')) })
  app.get('/response-class', { ...options, responseClass: HTMLResponse }, () => '<p>class</p>')
  await app.register(async (child) => {
    await child.register(fastifyResponses, { defaultResponseClass: PlainTextResponse })
    child.get('/class', options, () => 'default')
  }, { prefix: '/default' })
  app.get('/stream', options, (request, reply) => reply.streamingResponse(['a', 'b'], { mediaType: 'text/plain' }))
  app.get('/jsonl', options, (request, reply) => reply.jsonLinesResponse([{ n: 1 }, { n: 2 }]))
  app.get('/events', options, (request, reply) => reply.eventSourceResponse(['x'], { ping: 0 }))
  app.get('/file', options, (request, reply) => reply.fileResponse(__filename))
  app.get('/redirect', options, (request, reply) => reply.redirectResponse('/decorator'))
}

module.exports = { ways, addRoutes }
