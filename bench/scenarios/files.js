'use strict'
// Files generated into a temp dir at start: `reply.fileResponse(path)` as is and with the app's
// file cache in each freshness mode, against @fastify/static's `reply.sendFile`, Express 5's
// `res.sendFile`, nginx (sendfile, one worker) where it is installed, and the build given with
// --baseline; and the server's memory while slow clients read large (sparse) files.
const crypto = require('node:crypto')
const fs = require('node:fs/promises')
const os = require('node:os')
const path = require('node:path')
const { setTimeout: sleep } = require('node:timers/promises')
const express = require('express')
const Fastify = require('fastify')
const fastifyStatic = require('@fastify/static')
const { plainFastify, fastifyWithResponses } = require('../apps')
const { startNginx } = require('../nginx')
const { MiB, http2Load, peakRssDuring, slowRead } = require('../probes')

const files = { '1kib.bin': 1024, '64kib.bin': 64 * 1024, '10mib.bin': 10 * MiB }
const hugeFile = '1gib.bin'
const largeFile = '50mib.bin'

const BASELINE = 'FileResponse (baseline build)'
const CACHED = 'FileResponse cache revalidate 0'
const TIMED = 'FileResponse cache revalidate 1000'

/** A FileResponse side: the route on an app with the plugin's `file` options. */
function fileResponseSide (fileOptions, fastifyOptions) {
  return {
    requires: { decorators: ['fileResponse'] },
    server: async ({ dir }, file) => (await fastifyWithResponses({ file: fileOptions }, fastifyOptions)).get('/', (request, reply) => reply.fileResponse(path.join(dir, file)))
  }
}

/** The build given with --baseline (run.js sets BENCH_BASELINE), the same route; absent without one. */
function baselineSides (fastifyOptions) {
  if (process.env.BENCH_BASELINE === undefined) return {}
  return {
    [BASELINE]: async ({ dir }, file) => {
      const app = Fastify({ logger: false, ...fastifyOptions })
      await app.register(require(process.env.BENCH_BASELINE))
      return app.get('/', (request, reply) => reply.fileResponse(path.join(dir, file)))
    }
  }
}

/** Every side, on Fastify apps made with `fastifyOptions` (`{ http2: true }`: Fastify's sides only). */
function allSides (fastifyOptions) {
  const sides = {
    FileResponse: fileResponseSide(undefined, fastifyOptions),
    [CACHED]: fileResponseSide({ cache: { revalidate: 0 } }, fastifyOptions),
    [TIMED]: fileResponseSide({ cache: { revalidate: 1000 } }, fastifyOptions),
    ...baselineSides(fastifyOptions),
    '@fastify/static': async ({ dir }, file) => {
      const app = plainFastify(fastifyOptions)
      await app.register(fastifyStatic, { root: dir, serve: false })
      return app.get('/', (request, reply) => reply.sendFile(file))
    }
  }
  if (fastifyOptions?.http2 === true) return sides
  return {
    ...sides,
    'express res.sendFile': ({ dir }, file) => express().get('/', (req, res) => res.sendFile(file, { root: dir })),
    nginx: { requires: { commands: ['nginx'] }, server: ({ dir }, file) => startNginx({ root: dir, file }) }
  }
}

/** The named sides, each sending `file` from the temp dir on GET /. */
function sidesFor (file, names, fastifyOptions) {
  const all = allSides(fastifyOptions)
  const sides = {}
  for (const name of names) {
    if (all[name] === undefined) continue // the baseline, without --baseline
    const side = typeof all[name] === 'function' ? { server: all[name] } : all[name]
    sides[name] = { ...side, server: (context) => side.server(context, file) }
  }
  return sides
}

const loadSides = ['FileResponse', CACHED, TIMED, BASELINE, '@fastify/static', 'express res.sendFile', 'nginx']

/** A load case on `file`: every side, and `ratios` ([subject, baseline, target]) beside the usual ones. */
function fileCase (name, file, { ratios = [], ...options } = {}) {
  return {
    name,
    description: `${file}, ${files[file] / 1024} KiB`,
    ...options,
    sides: sidesFor(file, loadSides),
    ratios: [
      ...ratios,
      // Today's code, where a baseline build is given: no case may be slower (0.95: this machine's noise).
      ['FileResponse', BASELINE, 0.95],
      [CACHED, BASELINE, 0.95],
      ['FileResponse', '@fastify/static'],
      ['FileResponse', 'nginx'],
      ['FileResponse', 'express res.sendFile']
    ].filter(([subject, baseline], i, all) => all.findIndex(([s, b]) => s === subject && b === baseline) === i)
  }
}

/** A memory case: the server's RSS above idle while `readers` clients read `file` slowly. */
function slowReaderCase (name, file, { readers, bytesPerTick, seconds, limit, description }) {
  return {
    name,
    description,
    sides: sidesFor(file, ['FileResponse', CACHED, BASELINE, '@fastify/static']),
    rounds: 1,
    columns: [['rssAboveIdle', 'MiB above idle'], ['read', 'MiB read']],
    limits: [['FileResponse', 'rssAboveIdle', limit], [CACHED, 'rssAboveIdle', limit]],
    async measure ({ url, readRss, settings }) {
      await slowRead(url, { seconds: 0.2 }) // loads what the first send loads lazily: not a cost of the size
      await sleep(200)
      const idle = await readRss()
      const reads = Array.from({ length: readers }, () => slowRead(url, { bytesPerTick, seconds: settings.quick ? 0.5 : seconds }))
      const { peak, result } = await peakRssDuring(readRss, Promise.all(reads))
      return { figures: { rssAboveIdle: (peak - idle) / MiB, read: result.reduce((sum, bytes) => sum + bytes, 0) / MiB } }
    }
  }
}

module.exports = {
  description: 'files',
  async setup () {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fastify-responses-bench-'))
    for (const [name, size] of Object.entries(files)) await fs.writeFile(path.join(dir, name), crypto.randomBytes(size))
    for (const [name, size] of [[hugeFile, 1024 * MiB], [largeFile, 50 * MiB]]) {
      const sparse = await fs.open(path.join(dir, name), 'w')
      await sparse.truncate(size) // sparse: no disk space, reads as zeros
      await sparse.close()
    }
    // Workers that run as another user must be able to read it (mkdtemp makes it 0700).
    await fs.chmod(dir, 0o755)
    return { dir }
  },
  async teardown ({ dir }) {
    await fs.rm(dir, { recursive: true, force: true })
  },
  cases: () => [
    fileCase('1 KiB', '1kib.bin', {
      ratios: [[CACHED, 'FileResponse', 2], [CACHED, '@fastify/static', 3], [CACHED, BASELINE, 2], [TIMED, 'nginx', 0.5], [CACHED, 'nginx'], [TIMED, '@fastify/static']]
    }),
    fileCase('64 KiB', '64kib.bin', { ratios: [[CACHED, 'FileResponse'], [CACHED, '@fastify/static'], [TIMED, 'nginx']] }),
    // 50 concurrent 10 MiB responses take about a second each.
    fileCase('10 MiB', '10mib.bin', { minDuration: 4, ratios: [['FileResponse', 'nginx', 0.8], ['FileResponse', '@fastify/static', 3]] }),
    {
      name: '10 MiB over HTTP/2',
      description: '10mib.bin, 10240 KiB, over cleartext HTTP/2: 10 connections × 5 streams of Node\'s http2 client',
      sides: sidesFor('10mib.bin', ['FileResponse', BASELINE, '@fastify/static'], { http2: true }),
      load: true,
      minDuration: 4,
      columns: [['requests', 'req/s'], ['throughput', 'MB/s', 1e-6], ['serverCpu', 'server CPU %', 100], ['loadCpu', 'load CPU %', 100]],
      ratios: [['FileResponse', BASELINE, 0.95], ['FileResponse', '@fastify/static']],
      async measure ({ url, duration }) {
        const { requests, throughput, statuses } = await http2Load(url, { sessions: 10, streams: 5, seconds: duration })
        return { figures: { requests, throughput }, statuses }
      }
    },
    fileCase('1 MiB range of 10 MiB', '10mib.bin', {
      status: 206,
      request: { headers: { range: `bytes=${MiB}-${2 * MiB - 1}` } },
      ratios: [['FileResponse', '@fastify/static', 2]]
    }),
    slowReaderCase('1 GiB to a slow reader', hugeFile, {
      readers: 1,
      bytesPerTick: MiB,
      seconds: 60,
      limit: 64,
      description: 'server RSS while a client reads 1 MiB per 10 ms, above its RSS after a first short read'
    }),
    slowReaderCase('40 slow readers of 50 MiB', largeFile, {
      readers: 40,
      bytesPerTick: 64 * 1024,
      seconds: 20,
      limit: 160,
      description: 'server RSS while 40 clients each read 64 KiB per 10 ms, above its RSS after a first short read'
    })
  ]
}
