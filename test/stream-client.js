'use strict'
// A streaming client for the streaming tests, over HTTP/1.1 and HTTP/2 (h2c): the response as
// it arrives, and how it ended.
const http = require('node:http')
const http2 = require('node:http2')

/**
 * Opens a GET (or `method`) request and resolves once the headers are in, with
 * { req, res, status, headers, chunks, text(), ended } where `ended` resolves to 'complete' for
 * a clean end or 'aborted' for a truncated response.
 */
function open (app, path, { method = 'GET', headers = {}, body } = {}) {
  // Node frames no body for DELETE unless told its length.
  if (body !== undefined) headers = { 'content-length': Buffer.byteLength(body), ...headers }
  return new Promise((resolve, reject) => {
    const req = http.request(app.baseUrl + path, { method, headers, agent: false }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      const ended = new Promise((resolve) => {
        res.on('error', () => resolve('aborted'))
        res.on('end', () => resolve(res.complete ? 'complete' : 'aborted'))
      })
      resolve({ req, res, status: res.statusCode, headers: res.headers, chunks, ended, text: () => Buffer.concat(chunks).toString('utf8') })
    })
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * The same over HTTP/2, on a session of its own (closed with the stream): resolves with
 * { session, stream, status, headers, chunks, text(), ended } where `ended` resolves to
 * 'complete' when the stream ended (END_STREAM, rstCode 0) or 'aborted' when it was reset
 * (`stream.rstCode` tells the code).
 */
function openH2 (app, path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(app.baseUrl)
    session.on('error', reject)
    // Node's client ends a DELETE at once unless told it has a body.
    const stream = session.request({ ':method': method, ':path': path, ...headers }, { endStream: body === undefined })
    const chunks = []
    let endOfStream = false
    stream.on('data', (chunk) => chunks.push(chunk))
    stream.on('end', () => { endOfStream = true })
    stream.on('error', () => {})
    const ended = new Promise((resolve) => {
      stream.on('close', () => {
        session.close()
        resolve(endOfStream && stream.rstCode === http2.constants.NGHTTP2_NO_ERROR ? 'complete' : 'aborted')
      })
    })
    stream.on('response', (headers) => {
      resolve({ session, stream, status: headers[':status'], headers, chunks, ended, text: () => Buffer.concat(chunks).toString('utf8') })
    })
    stream.on('close', () => reject(new Error(`stream closed before its headers (rstCode ${stream.rstCode})`)))
    stream.end(body)
  })
}

/** Each protocol: the Fastify options that serve it, and a client that opens a response on it. */
const protocols = [
  { name: 'HTTP/1.1', fastifyOptions: {}, open },
  { name: 'HTTP/2', fastifyOptions: { http2: true }, open: openH2 }
]

/**
 * Sends a request without waiting for its response: `leave()` disconnects (HTTP/2: cancels the
 * stream, the session stays open until `leave` closes it too).
 */
function pending (app, path, { http2: overHttp2 = false } = {}) {
  if (!overHttp2) {
    const req = http.get(app.baseUrl + path, { agent: false })
    req.on('error', () => {})
    return { leave: () => req.destroy() }
  }
  const session = http2.connect(app.baseUrl)
  session.on('error', () => {})
  const stream = session.request({ ':path': path })
  stream.on('error', () => {})
  return { leave: () => { stream.close(http2.constants.NGHTTP2_CANCEL); session.close() } }
}

/** Resolves when `predicate()` holds, checking every few ms (fails the test after `ms`). */
async function until (predicate, ms = 2000) {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

module.exports = { open, openH2, protocols, pending, until, sleep }
