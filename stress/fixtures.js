'use strict'
// Routes the storms and slow readers share: a 50 MiB file (whole, one range, several ranges) and
// endless sources of every kind, each counting when it starts and when it is finalised.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { Readable } = require('node:stream')
const { ServerSentEvent } = require('fastify-responses')
const { MiB, Counts } = require('./helpers')

/** A directory with `big` (50 MiB, not sparse: one random MiB repeated), removed on teardown. */
function bigFile (t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-stress-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'big')
  const block = crypto.randomBytes(MiB)
  const fd = fs.openSync(file, 'w')
  for (let i = 0; i < 50; i++) fs.writeSync(fd, block)
  fs.closeSync(fd)
  return { dir, file, size: 50 * MiB }
}

const CHUNK = 'x'.repeat(16 * 1024)

/**
 * The endless sources, each by name: `make(counts)` returns a fresh source that adds
 * `<name> started` when it starts producing, `<name> finalised` in its finally/destroy/cancel
 * and `<name> produced` per chunk.
 */
const endlessSources = {
  'async generator': (counts, name) => (async function * () {
    counts.add(`${name} started`)
    try {
      for (;;) {
        await null
        counts.add(`${name} produced`)
        yield CHUNK
      }
    } finally {
      counts.add(`${name} finalised`)
    }
  })(),
  'sync generator': (counts, name) => (function * () {
    counts.add(`${name} started`)
    try {
      for (;;) {
        counts.add(`${name} produced`)
        yield CHUNK
      }
    } finally {
      counts.add(`${name} finalised`)
    }
  })(),
  'function source': (counts, name) => (signal) => endlessSources['async generator'](counts, name),
  Readable: (counts, name) => {
    counts.add(`${name} started`)
    return new Readable({
      read () {
        counts.add(`${name} produced`)
        this.push(CHUNK)
      },
      destroy (err, callback) {
        counts.add(`${name} finalised`)
        callback(err)
      }
    })
  },
  'web stream': (counts, name) => new ReadableStream({
    start () { counts.add(`${name} started`) },
    pull (controller) {
      counts.add(`${name} produced`)
      controller.enqueue(new TextEncoder().encode(CHUNK))
    },
    cancel () { counts.add(`${name} finalised`) }
  })
}

/** An endless event stream: an event per turn, with data, id and a type. */
function endlessEvents (counts, name) {
  return (async function * () {
    counts.add(`${name} started`)
    try {
      for (let i = 0; ; i++) {
        await null
        counts.add(`${name} produced`)
        yield new ServerSentEvent({ event: 'tick', id: i, data: { i, pad: CHUNK } })
      }
    } finally {
      counts.add(`${name} finalised`)
    }
  })()
}

const streamKinds = [...Object.keys(endlessSources), 'SSE']

/** `/file`, `/stream/<kind>` for every kind (SSE included) and `/ok`, on `app`; returns the counts. */
function addEndlessRoutes (app, file) {
  const counts = new Counts()
  app.get('/ok', (request, reply) => reply.plainTextResponse('ok'))
  app.get('/file', (request, reply) => reply.fileResponse(file))
  app.get('/stream/:kind', (request, reply) => {
    const kind = request.params.kind
    if (kind === 'SSE') return reply.eventSourceResponse(endlessEvents(counts, kind), { ping: 0 })
    return reply.streamingResponse(endlessSources[kind](counts, kind), { mediaType: 'text/plain' })
  })
  return counts
}

module.exports = { bigFile, endlessSources, endlessEvents, streamKinds, addEndlessRoutes, CHUNK }
