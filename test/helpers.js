'use strict'
// Test helpers: a Fastify app with the plugin on 127.0.0.1:0, and a raw HTTP client that
// reports exactly what came over the wire (status, every header line, body bytes).
const fs = require('node:fs')
const http = require('node:http')
const net = require('node:net')
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

/**
 * One request written by hand (`requestLine` such as 'GET / HTTP/1.1', then `headers` lines) on a
 * fresh connection that the server closes after answering. Resolves { bytes, head, body }: every
 * byte the server sent, split at the first blank line, before any HTTP parsing (framing included).
 */
function rawRequest (app, requestLine, headers = []) {
  return new Promise((resolve, reject) => {
    const { port } = app.server.address()
    const socket = net.connect(port, '127.0.0.1', () => {
      // Latin-1, so a header can carry any byte; not `end`: a client that half-closes first has
      // its request aborted by Node's server.
      const host = headers.some((line) => /^host:/i.test(line)) ? [] : ['host: 127.0.0.1']
      socket.write([requestLine, ...host, 'connection: close', ...headers, '', ''].join('\r\n'), 'latin1')
    })
    const chunks = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const bytes = Buffer.concat(chunks)
      const end = bytes.indexOf('\r\n\r\n')
      resolve({ bytes, head: bytes.subarray(0, end), body: bytes.subarray(end + 4) })
    })
  })
}

/** Captures log lines (JSON objects) written by a Fastify logger. */
function logCapture () {
  const lines = []
  const stream = { write (line) { lines.push(JSON.parse(line)) } }
  return { lines, fastifyOptions: { logger: { level: 'info', stream } } }
}

/** Entries of /proc/self/fd that point to `file` (the server runs in this process). */
function descriptorsOf (file) {
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try { return fs.readlinkSync(`/proc/self/fd/${fd}`) === file } catch { return false }
  }).length
}

/** The descriptors of `file` once they close, waiting up to 2 s for them. */
async function settledDescriptorsOf (file) {
  for (let i = 0; i < 200 && descriptorsOf(file) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10))
  return descriptorsOf(file)
}

module.exports = { startApp, request, rawRequest, logCapture, descriptorsOf, settledDescriptorsOf }
