'use strict'
// Slow readers: 40 clients reading a 50 MiB file at a trickle, 60 reading endless streams and SSE
// slowly, 100 that never read. Memory stays bounded (RSS after GC, against a baseline taken with
// the server idle), and an endless source produces nothing more once its client stops reading:
// it is suspended, not buffered into memory.
const t = require('tap')
const http = require('node:http')
const { startApp } = require('../test/helpers')
const { MiB, mib, baseline, checkBackToBaseline, memory, nonReadingClient, settle, sleep } = require('./helpers')
const { addEndlessRoutes, bigFile, streamKinds } = require('./fixtures')

const { file } = bigFile(t)

// RSS after GC, against the RSS after GC as each check starts. A leak of one body per client
// (50 MiB × 40) or an endless source buffered into memory goes far past these; what the clients
// and the server hold per connection (socket and stream buffers, a few 64 KiB chunks) stays well
// under them. Measured on a noisy shared 2-core VM: see the figures each check prints.
const RSS_BOUND = { trickle: 96 * MiB, slowStreams: 96 * MiB, neverRead: 128 * MiB }

/**
 * A client that reads one chunk, waits `interval` ms, reads the next...; `stop()` makes it stop
 * reading (the response stays open), `close()` leaves. `received` counts the body bytes.
 */
function trickleClient (baseUrl, path, interval) {
  const client = { received: 0, status: undefined, ended: false, stopped: false }
  const req = http.get(baseUrl + path, { agent: false }, (res) => {
    client.status = res.statusCode
    res.on('data', (chunk) => {
      client.received += chunk.length
      res.pause()
      if (!client.stopped) setTimeout(() => { if (!client.stopped) res.resume() }, interval)
    })
    res.on('end', () => { client.ended = true })
    res.on('error', () => {})
  })
  req.on('error', () => {})
  client.stop = () => { client.stopped = true }
  client.close = () => req.destroy()
  return client
}

/** Total of `name produced` over every endless kind. */
const producedOf = (counts) => streamKinds.reduce((sum, kind) => sum + counts.get(`${kind} produced`), 0)

/** Resolves once nothing was produced for 500 ms (the buffers are full), with the count then. */
async function untilSuspended (counts) {
  let last = producedOf(counts)
  await settle(async () => {
    await sleep(500)
    const now = producedOf(counts)
    const still = now === last
    last = now
    return still
  }, 'the sources suspended', 15000)
  return last
}

const signed = (bytes) => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`

t.test('slow readers', async (t) => {
  let counts
  const app = await startApp(t, (app) => { counts = addEndlessRoutes(app, file) })
  const { port } = app.server.address()

  t.test('40 clients reading the 50 MiB file at a trickle: RSS bounded, every descriptor closed after', async (t) => {
    const before = baseline()
    const clients = Array.from({ length: 40 }, () => trickleClient(app.baseUrl, '/file', 100))
    t.teardown(() => clients.forEach((c) => c.close()))
    await settle(() => clients.every((c) => c.received > 0), 'every client receiving')
    await sleep(3000)
    const growth = memory().rss - before.rss
    const received = clients.reduce((sum, c) => sum + c.received, 0)
    t.comment(`RSS ${signed(growth)} MiB bound ${mib(RSS_BOUND.trickle)} MiB (40 readers, ${mib(received)} MiB read in all)`)
    t.ok(growth < RSS_BOUND.trickle, 'RSS stays within the bound')
    t.ok(clients.every((c) => c.status === 200 && !c.ended), 'every reader is still reading its download')
    clients.forEach((c) => c.close())
    await checkBackToBaseline(t, before, { what: 'trickle readers' })
  })

  t.test('60 clients reading endless streams and SSE slowly: RSS bounded; once they stop reading, their sources stop', async (t) => {
    const before = baseline()
    const clients = Array.from({ length: 60 }, (_, i) => trickleClient(app.baseUrl, `/stream/${encodeURIComponent(streamKinds[i % streamKinds.length])}`, 100))
    t.teardown(() => clients.forEach((c) => c.close()))
    await settle(() => clients.every((c) => c.received > 0), 'every client receiving')
    await sleep(2000)
    const growth = memory().rss - before.rss
    t.comment(`RSS ${signed(growth)} MiB bound ${mib(RSS_BOUND.slowStreams)} MiB (60 readers, ${mib(clients.reduce((sum, c) => sum + c.received, 0))} MiB read in all)`)
    t.ok(growth < RSS_BOUND.slowStreams, 'RSS stays within the bound')
    // Every reader stops: its socket's buffers fill, then its source must be suspended.
    clients.forEach((c) => c.stop())
    const stopped = await untilSuspended(counts)
    await sleep(1000)
    const later = producedOf(counts)
    t.comment(`chunks produced in the second after the buffers filled ${later - stopped} (of ${later} in all)`)
    t.equal(later, stopped, 'no source produced anything while its reader did not read')
    clients.forEach((c) => c.close())
    await checkBackToBaseline(t, before, { what: 'slow stream readers' })
  })

  t.test('100 clients that never read (files and endless streams): RSS bounded, nothing produced once their buffers are full', async (t) => {
    const before = baseline()
    const producedBefore = producedOf(counts)
    const clients = Array.from({ length: 100 }, (_, i) => nonReadingClient(port, i % 2 === 0 ? '/file' : `/stream/${encodeURIComponent(streamKinds[i % streamKinds.length])}`))
    t.teardown(() => clients.forEach((c) => c.close()))
    await settle(() => producedOf(counts) > producedBefore, 'the streams started')
    const filled = await untilSuspended(counts)
    await sleep(1000)
    const later = producedOf(counts)
    const growth = memory().rss - before.rss
    const perClient = (filled - producedBefore) * 16 / 1024 / 50
    t.comment(`RSS ${signed(growth)} MiB bound ${mib(RSS_BOUND.neverRead)} MiB; about ${perClient.toFixed(1)} MiB produced per stream client before its buffers filled, ${later - filled} chunks after`)
    t.ok(filled > producedBefore, 'the streams started')
    t.equal(later, filled, 'nothing more is produced for a client that does not read')
    t.ok(growth < RSS_BOUND.neverRead, 'RSS stays within the bound')
    clients.forEach((c) => c.close())
    await checkBackToBaseline(t, before, { what: 'clients that never read' })
  })
})
