'use strict'
// What the reliability checks measure: open descriptors, memory after a full GC, how often sources
// were finalised, what reached the process's last-resort handlers; a wait that polls until a
// condition holds or fails after a bounded time; and clients that leave in the middle of a body.
const fs = require('node:fs')
const http = require('node:http')
const http2 = require('node:http2')
const net = require('node:net')

const MiB = 1024 * 1024

/** Open descriptors of this process (the listing's own descriptor is counted every time alike). */
function fdCount () {
  return fs.readdirSync('/proc/self/fd').length
}

/** RSS and heap in bytes after a full collection; the suite runs node with --expose-gc. */
function memory () {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc (npm run test:stress does)')
  global.gc()
  global.gc()
  const { rss, heapUsed } = process.memoryUsage()
  return { rss, heapUsed }
}

const mib = (bytes) => (bytes / MiB).toFixed(1)

/** Named counters: `finally` ran, a Readable's `destroy`, a web stream's `cancel`... */
class Counts {
  #counts = new Map()

  add (name, n = 1) {
    this.#counts.set(name, this.get(name) + n)
  }

  get (name) {
    return this.#counts.get(name) ?? 0
  }
}

/**
 * Counts unhandled rejections and uncaught exceptions for the rest of the test file (tap's own
 * handlers still fail the test; these make the count a figure a check can print).
 */
function watchProcess () {
  const seen = { unhandledRejection: 0, uncaughtException: 0 }
  process.on('unhandledRejection', () => { seen.unhandledRejection++ })
  process.on('uncaughtException', () => { seen.uncaughtException++ })
  return seen
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves once `predicate()` holds, polling every 20 ms; rejects naming `what` after `ms`. */
async function settle (predicate, what, ms = 10000) {
  const deadline = Date.now() + ms
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`not settled within ${ms} ms: ${what}`)
    await sleep(20)
  }
}

/**
 * A baseline of descriptors and memory, and the check that both came back to it: descriptors
 * exactly (after a settle), heap within `heapBound` bytes.
 */
function baseline () {
  return { fds: fdCount(), ...memory() }
}

async function checkBackToBaseline (t, before, { heapBound = 16 * MiB, what = 'descriptors' } = {}) {
  await settle(() => fdCount() <= before.fds, `${what} back to ${before.fds} (now ${fdCount()})`)
  const fds = fdCount()
  t.comment(`fd before ${before.fds} after ${fds}`)
  t.ok(fds <= before.fds, `open descriptors back to the baseline (${before.fds} → ${fds})`)
  const after = memory()
  const heapGrowth = after.heapUsed - before.heapUsed
  t.comment(`heap after GC ${heapGrowth >= 0 ? '+' : ''}${mib(heapGrowth)} MiB bound ${mib(heapBound)} MiB`)
  t.ok(heapGrowth < heapBound, `heap after GC within ${mib(heapBound)} MiB of the baseline (${mib(heapGrowth)} MiB)`)
}

/**
 * One client over HTTP/1.1 or HTTP/2 that sends a request and leaves: after `leaveAfter` bytes of
 * body (0: once the headers are in; Infinity: it stays to the end), or once `leaveWhen` resolves
 * (before any response, when the server holds it back). Resolves { status, received } once it
 * has left, or once the response ended by itself.
 */
function leavingClient (baseUrl, path, { http2: overHttp2 = false, leaveAfter = 1, leaveWhen, headers = {} } = {}) {
  const client = overHttp2 ? leavingH2(baseUrl, path, leaveAfter, headers) : leavingH1(baseUrl, path, leaveAfter, headers)
  leaveWhen?.then(client.leave)
  return client.done
}

function leavingH1 (baseUrl, path, leaveAfter, headers) {
  let status
  let received = 0
  const req = http.get(baseUrl + path, { agent: false, headers }, (res) => {
    status = res.statusCode
    const check = () => { if (received >= leaveAfter) req.destroy() }
    res.on('data', (chunk) => { received += chunk.length; check() })
    res.on('error', () => {})
    check()
  })
  req.on('error', () => {})
  const done = new Promise((resolve) => req.on('close', () => resolve({ status, received })))
  return { done, leave: () => req.destroy() }
}

function leavingH2 (baseUrl, path, leaveAfter, headers) {
  let status
  let received = 0
  const session = http2.connect(baseUrl)
  session.on('error', () => {})
  const stream = session.request({ ':path': path, ...headers })
  // Half the clients cancel their stream (RST_STREAM) first, half just drop the connection.
  const leave = () => { if (Math.random() < 0.5) stream.close(http2.constants.NGHTTP2_CANCEL); session.destroy() }
  const check = () => { if (received >= leaveAfter) leave() }
  stream.on('error', () => {})
  stream.on('response', (h) => { status = h[':status']; check() })
  stream.on('data', (chunk) => { received += chunk.length; check() })
  const done = new Promise((resolve) => stream.on('close', () => { session.destroy(); resolve({ status, received }) }))
  return { done, leave }
}

/** A promise and the function that resolves it. */
function gate () {
  let open
  const opened = new Promise((resolve) => { open = resolve })
  return { opened, open }
}

/** `n` clients at once, each made by `client(i)`; resolves with their results. */
function storm (n, client) {
  return Promise.all(Array.from({ length: n }, (_, i) => client(i)))
}

/**
 * A client that writes a GET over a raw socket and then never reads: what the server sends fills
 * the socket's buffers and stays there. `close()` destroys it.
 */
function nonReadingClient (port, path) {
  const socket = net.connect(port, '127.0.0.1', () => {
    socket.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`)
    socket.pause()
  })
  socket.on('error', () => {})
  return { close: () => socket.destroy() }
}

/** The seed of this file's properties: FC_SEED to replay one, else random; printed either way. */
function fcSeed (t) {
  const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31))
  t.comment(`fast-check seed ${seed} (FC_SEED=${seed} replays it)`)
  return seed
}

module.exports = {
  MiB,
  mib,
  fdCount,
  memory,
  Counts,
  watchProcess,
  sleep,
  settle,
  baseline,
  checkBackToBaseline,
  leavingClient,
  gate,
  storm,
  nonReadingClient,
  fcSeed
}
