'use strict'
// The demo: one route per response class on http://127.0.0.1:3000 (`npm start`).
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')
const { HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse } = fastifyResponses

async function main () {
  const app = Fastify({ logger: true })
  await app.register(fastifyResponses)

  app.get('/', () => new HTMLResponse(`<h1>fastify-responses</h1>
<ul>
  <li><a href="/text">PlainTextResponse</a></li>
  <li><a href="/json">JSONResponse</a></li>
  <li><a href="/redirect">RedirectResponse (307 to /)</a></li>
  <li><a href="/cookie">setCookie</a></li>
</ul>`))
  app.get('/text', () => new PlainTextResponse('Hello, world'))
  app.get('/json', (request, reply) => reply.jsonResponse({ hello: 'world' }))
  app.get('/redirect', { responseClass: RedirectResponse }, () => '/')
  app.get('/cookie', () => new JSONResponse({ set: true }).setCookie('demo', 'yes', { httpOnly: true }))

  await app.listen({ port: 3000, host: '127.0.0.1' })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
