'use strict'
// Test helpers: a Fastify app with the plugin on 127.0.0.1:0, and a raw HTTP client that
// reports exactly what came over the wire (status, every header line, body bytes).
const http = require('node:http')
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')

/** Builds an app, lets `setup(app)` add routes, listens on 127.0.0.1:0; closed on teardown. */
async function startApp (t, setup, { pluginOptions, fastifyOptions } = {}) {
  const app = Fastify({ logger: false, ...fastifyOptions })
  await app.register(fastifyResponses, pluginOptions)
  await setup(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  app.baseUrl = `http://127.0.0.1:${app.server.address().port}`
  return app
}

/**
 * One request over a fresh connection. Resolves { status, statusMessage, headers, rawHeaders, body }
 * where headers keeps repeated names as arrays (set-cookie) and body is a Buffer.
 */
function request (app, path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(app.baseUrl + path, { method, headers, agent: false }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => resolve({
        status: res.statusCode,
        statusMessage: res.statusMessage,
        headers: res.headers,
        rawHeaders: res.rawHeaders,
        body: Buffer.concat(chunks),
        text: Buffer.concat(chunks).toString('utf8'),
        complete: res.complete
      }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Captures log lines (JSON objects) written by a Fastify logger. */
function logCapture () {
  const lines = []
  const stream = { write (line) { lines.push(JSON.parse(line)) } }
  return { lines, fastifyOptions: { logger: { level: 'info', stream } } }
}

module.exports = { startApp, request, logCapture }
