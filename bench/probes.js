'use strict'
// Measures for the `measure` of a scenario case that autocannon cannot take: a slow reader's
// effect on server memory, SSE event rates, the memory cost of idle SSE clients, and request
// rates over HTTP/2.
const http = require('node:http')
const http2 = require('node:http2')
const { setTimeout: sleep } = require('node:timers/promises')

const MiB = 1024 * 1024

/** GET over a fresh connection; a status other than 200 rejects, since the figure would mean nothing. */
function get (url, onResponse, reject) {
  const req = http.get(url, { agent: false }, (res) => {
    if (res.statusCode === 200) return onResponse(res)
    req.destroy()
    reject(new Error(`GET ${url} answered ${res.statusCode}`))
  })
  req.on('error', reject)
  return req
}

/** Samples `readRss` every `intervalMs` until `work` settles; resolves { peak, result }. */
async function peakRssDuring (readRss, work, intervalMs = 20) {
  let peak = await readRss()
  let done = false
  const finish = () => { done = true }
  work.then(finish, finish)
  // eslint-disable-next-line no-unmodified-loop-condition -- `finish` sets it when `work` settles
  while (!done) {
    peak = Math.max(peak, await readRss())
    await sleep(intervalMs)
  }
  return { peak, result: await work }
}

/**
 * GETs `url` and reads it slowly: `bytesPerTick` then a pause of `tickMs` (1 MiB per 10 ms by
 * default), for at most `seconds`. Resolves the byte count read.
 */
function slowRead (url, { bytesPerTick = MiB, tickMs = 10, seconds }) {
  return new Promise((resolve, reject) => {
    let bytes = 0
    let inTick = 0
    const req = get(url, (res) => {
      const stop = setTimeout(() => { req.destroy(); resolve(bytes) }, seconds * 1000)
      res.on('data', (chunk) => {
        bytes += chunk.length
        inTick += chunk.length
        if (inTick < bytesPerTick) return
        inTick = 0
        res.pause()
        setTimeout(() => res.resume(), tickMs)
      })
      res.on('end', () => { clearTimeout(stop); resolve(bytes) })
    }, reject)
  })
}

/** Opens an event stream and counts the events (blank-line terminated) it gets in `seconds`. */
function countEvents (url, seconds) {
  return new Promise((resolve, reject) => {
    let events = 0
    let endsWithNewline = false
    const req = get(url, (res) => {
      res.setEncoding('utf8')
      const start = process.hrtime.bigint()
      setTimeout(() => {
        req.destroy()
        resolve(events / (Number(process.hrtime.bigint() - start) / 1e9))
      }, seconds * 1000)
      res.on('data', (text) => {
        if (endsWithNewline && text[0] === '\n') events++
        events += text.split('\n\n').length - 1
        endsWithNewline = text[text.length - 1] === '\n'
      })
    }, reject)
  })
}

/** Opens `count` event-stream connections and resolves once each has received its first bytes. */
async function openIdleClients (url, count) {
  const requests = []
  const firstBytes = []
  for (let i = 0; i < count; i++) {
    firstBytes.push(new Promise((resolve, reject) => {
      requests.push(get(url, (res) => res.once('data', resolve), reject))
    }))
  }
  await Promise.all(firstBytes)
  return () => { for (const req of requests) req.destroy() }
}

/**
 * GET `url` over HTTP/2 (cleartext) for `seconds`: `sessions` connections with `streams` requests
 * in flight on each, every one read at once. Resolves { requests, throughput, statuses } with rates
 * over the elapsed time (requests in flight at the end complete and count) and the count of each
 * status.
 */
async function http2Load (url, { sessions, streams, seconds }) {
  const started = performance.now()
  const deadline = started + seconds * 1000
  const statuses = {}
  let requests = 0
  let bytes = 0
  const one = (session) => new Promise((resolve, reject) => {
    const stream = session.request({ ':path': new URL(url).pathname })
    stream.on('response', (headers) => { statuses[headers[':status']] = (statuses[headers[':status']] ?? 0) + 1 })
    stream.on('data', (chunk) => { bytes += chunk.length })
    stream.on('end', () => { requests++; resolve() })
    stream.on('error', reject)
  })
  await Promise.all(Array.from({ length: sessions }, async () => {
    const session = http2.connect(url)
    try {
      await Promise.all(Array.from({ length: streams }, async () => {
        while (performance.now() < deadline) await one(session)
      }))
    } finally {
      session.close()
    }
  }))
  const elapsed = (performance.now() - started) / 1000
  return { requests: requests / elapsed, throughput: bytes / elapsed, statuses }
}

module.exports = { MiB, peakRssDuring, slowRead, countEvents, openIdleClients, http2Load }
