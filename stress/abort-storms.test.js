'use strict'
// Abort storms over HTTP/1.1 and HTTP/2: 200 clients per scenario start a download (a 50 MiB
// file, one range, several ranges), an endless stream of every source kind or an SSE stream and
// leave in the middle of the body, before the first byte, or while an async preHandler or handler
// still works. After each storm: descriptors back to the baseline, every source that started
// finalised, no unhandled rejection or uncaught exception, heap near the baseline, and the next
// request answered.
const t = require('tap')
const { StreamingResponse, EventSourceResponse, FileResponse } = require('fastify-responses')
const { startApp, logCapture } = require('../test/helpers')
const { protocols } = require('../test/stream-client')
const { MiB, baseline, checkBackToBaseline, gate, leavingClient, settle, sleep, storm, watchProcess } = require('./helpers')
const { addEndlessRoutes, bigFile, endlessSources, streamKinds } = require('./fixtures')

const CLIENTS = 200
const seen = watchProcess()
const { file } = bigFile(t)

for (const protocol of protocols) {
  const overHttp2 = protocol.name === 'HTTP/2'
  t.test(`${protocol.name} abort storms`, async (t) => {
    let counts
    const capture = logCapture()
    // Requests the server holds back, and the gate that releases them once their clients left.
    let arrived = 0
    let closed = 0
    let hold = gate()
    const held = (reply) => {
      arrived++
      reply.raw.once('close', () => { closed++ })
      return hold.opened
    }
    const app = await startApp(t, (app) => {
      counts = addEndlessRoutes(app, file)
      // A source that started and waits for its first item while its client leaves.
      app.get('/late-stream', (request, reply) => reply.streamingResponse((async function * () {
        counts.add('late started')
        try {
          await held(reply)
          yield 'late'
        } finally {
          counts.add('late finalised')
        }
      })()))
      // The client leaves while a preHandler still works: the handler then streams a Readable.
      app.get('/slow-prehandler', { preHandler: async (request, reply) => { await held(reply) } },
        () => new StreamingResponse(endlessSources.Readable(counts, 'after preHandler')))
      // The client leaves while the handler still works: it then answers with a file or with an
      // event stream whose source function must not be called.
      app.get('/slow-handler/:kind', async (request, reply) => {
        await held(reply)
        counts.add('slow handler returned')
        if (request.params.kind === 'file') return new FileResponse(file)
        return new EventSourceResponse(() => { counts.add('source called after the client left'); return [] })
      })
    }, { fastifyOptions: { ...protocol.fastifyOptions, ...capture.fastifyOptions } })
    // Warm up: the first exchanges open what the server keeps for good (epoll, pools).
    await storm(4, () => leavingClient(app.baseUrl, '/ok', { http2: overHttp2, leaveAfter: Infinity }))
    await sleep(200)
    // Every storm must come back to the descriptors open before the first one.
    const start = baseline()
    const baselineNow = () => ({ ...baseline(), fds: start.fds })

    const check = async (t, before, name) => {
      await checkBackToBaseline(t, before, { what: name })
      t.comment(`unhandled rejections ${seen.unhandledRejection} uncaught exceptions ${seen.uncaughtException}`)
      t.equal(seen.unhandledRejection + seen.uncaughtException, 0, 'no unhandled rejection, no uncaught exception')
      const above = capture.lines.filter((line) => line.level >= 40)
      const premature = capture.lines.filter((line) => line.msg === 'stream closed prematurely').length
      t.comment(`logged above info ${above.length}; "stream closed prematurely" (info) ${premature} so far`)
      t.same(above.map((line) => line.msg), [], 'a client that leaves is not an error: nothing logged above info')
      const next = await leavingClient(app.baseUrl, '/ok', { http2: overHttp2, leaveAfter: Infinity })
      t.equal(next.status, 200, 'the next request is answered')
    }

    /** A storm of clients the server holds back, that all leave once every request arrived; then the gate opens. */
    const heldStorm = async (path) => {
      arrived = 0
      closed = 0
      hold = gate()
      const everyoneArrived = settle(() => arrived === CLIENTS, `${CLIENTS} requests arrived at ${path}`)
      const results = storm(CLIENTS, (i) => leavingClient(app.baseUrl, typeof path === 'function' ? path(i) : path, { http2: overHttp2, leaveWhen: everyoneArrived }))
      await everyoneArrived
      await results
      await settle(() => closed === CLIENTS, 'every held response closed')
      hold.open()
    }

    const downloads = [
      { name: 'the 50 MiB file', headers: {}, status: 200 },
      { name: 'a single range of it', headers: { range: 'bytes=1000000-40000000' }, status: 206 },
      { name: 'a multipart range of it', headers: { range: 'bytes=0-999,5000000-19999999,30000000-49999999' }, status: 206 }
    ]
    for (const download of downloads) {
      t.test(`${CLIENTS} clients leaving mid-body of ${download.name}: every descriptor closed`, async (t) => {
        const before = baselineNow()
        const results = await storm(CLIENTS, () => leavingClient(app.baseUrl, '/file', { http2: overHttp2, headers: download.headers, leaveAfter: 256 * 1024 }))
        const midBody = results.filter((r) => r.status === download.status && r.received >= 256 * 1024 && r.received < 50 * MiB).length
        t.comment(`clients that left mid-body ${midBody} of ${CLIENTS}`)
        t.equal(midBody, CLIENTS, 'every client got part of the body, then left')
        await check(t, before, download.name)
      })
    }

    for (const kind of streamKinds) {
      t.test(`${CLIENTS} clients leaving an endless ${kind} mid-body: every source finalised, every descriptor closed`, async (t) => {
        const before = baselineNow()
        const results = await storm(CLIENTS, () => leavingClient(app.baseUrl, `/stream/${encodeURIComponent(kind)}`, { http2: overHttp2, leaveAfter: 1 }))
        const midBody = results.filter((r) => r.status === 200 && r.received > 0).length
        t.comment(`clients that left mid-body ${midBody} of ${CLIENTS}`)
        t.equal(midBody, CLIENTS, 'every client got part of the body, then left')
        await settle(() => counts.get(`${kind} finalised`) === counts.get(`${kind} started`), `${kind} sources finalised`)
        t.comment(`${kind} started ${counts.get(`${kind} started`)} finalised ${counts.get(`${kind} finalised`)}`)
        t.ok(counts.get(`${kind} started`) >= CLIENTS, `every client's source started (${counts.get(`${kind} started`)})`)
        t.equal(counts.get(`${kind} finalised`), counts.get(`${kind} started`), 'every source that started was finalised')
        await check(t, before, kind)
      })
    }

    t.test(`${CLIENTS} clients vanishing before the first byte of a source that started: every source finalised`, async (t) => {
      const before = baselineNow()
      const startedBefore = counts.get('late started')
      await heldStorm('/late-stream')
      const started = counts.get('late started') - startedBefore
      await settle(() => counts.get('late finalised') === counts.get('late started'), 'late sources finalised')
      t.comment(`sources started ${started} finalised ${counts.get('late finalised') - startedBefore}`)
      t.equal(started, CLIENTS, 'every client\'s source started before its client left')
      t.equal(counts.get('late finalised'), counts.get('late started'), 'every source was finalised')
      await check(t, before, 'vanished clients')
    })

    t.test(`${CLIENTS} clients leaving while an async preHandler works: the handler's Readable destroyed unread`, async (t) => {
      const before = baselineNow()
      const made = counts.get('after preHandler started')
      await heldStorm('/slow-prehandler')
      await settle(() => counts.get('after preHandler started') - made === CLIENTS, 'every handler ran')
      await settle(() => counts.get('after preHandler finalised') === counts.get('after preHandler started'), 'Readables destroyed')
      t.comment(`Readables made ${counts.get('after preHandler started') - made} destroyed ${counts.get('after preHandler finalised') - made} read ${counts.get('after preHandler produced')}`)
      t.equal(counts.get('after preHandler finalised'), counts.get('after preHandler started'), 'every Readable made after its client left was destroyed')
      t.equal(counts.get('after preHandler produced'), 0, 'none of them was read')
      await check(t, before, 'preHandler')
    })

    t.test(`${CLIENTS} clients leaving while an async handler works: its file closed, its source function never called`, async (t) => {
      const before = baselineNow()
      const returned = counts.get('slow handler returned')
      await heldStorm((i) => i % 2 === 0 ? '/slow-handler/file' : '/slow-handler/events')
      // The wait that would let a wrongly called source show: every handler has returned its response.
      await settle(() => counts.get('slow handler returned') - returned === CLIENTS, 'handlers returned')
      await checkBackToBaseline(t, before, { what: 'handler' })
      t.comment(`handlers returned ${counts.get('slow handler returned') - returned} source functions called ${counts.get('source called after the client left')}`)
      t.equal(counts.get('source called after the client left'), 0, 'no source function was called for a client that had left')
      await check(t, before, 'handler')
    })
  })
}
