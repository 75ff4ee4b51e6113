'use strict'
// Files generated into a temp dir at start: `reply.fileResponse(path)` against @fastify/static's
// `reply.sendFile` and Express 5's `res.sendFile`, and the server's memory while a slow client
// reads a 1 GiB (sparse) file.
const crypto = require('node:crypto')
const fs = require('node:fs/promises')
const os = require('node:os')
const path = require('node:path')
const { setTimeout: sleep } = require('node:timers/promises')
const express = require('express')
const fastifyStatic = require('@fastify/static')
const { plainFastify, fastifyWithResponses } = require('../apps')
const { MiB, peakRssDuring, slowRead } = require('../probes')

const files = { '1kib.bin': 1024, '64kib.bin': 64 * 1024, '10mib.bin': 10 * MiB }
const hugeFile = '1gib.bin'

/** The three servers, each sending `file` from the temp dir on GET /. */
function fileSides (file) {
  return {
    'reply.fileResponse': {
      requires: { decorators: ['fileResponse'] },
      server: async ({ dir }) => (await fastifyWithResponses()).get('/', (request, reply) => reply.fileResponse(path.join(dir, file)))
    },
    '@fastify/static': async ({ dir }) => {
      const app = plainFastify()
      await app.register(fastifyStatic, { root: dir, serve: false })
      return app.get('/', (request, reply) => reply.sendFile(file))
    },
    'express res.sendFile': ({ dir }) => express().get('/', (req, res) => res.sendFile(file, { root: dir }))
  }
}

/** A load case on `file`; `aim` is the ratio to @fastify/static aimed at, `options` go to the case. */
function fileCase (name, file, { aim, ...options } = {}) {
  return {
    name,
    description: `${file}, ${files[file] / 1024} KiB`,
    ...options,
    sides: fileSides(file),
    ratios: [['reply.fileResponse', '@fastify/static', aim], ['reply.fileResponse', 'express res.sendFile']]
  }
}

module.exports = {
  description: 'files',
  async setup () {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fastify-responses-bench-'))
    for (const [name, size] of Object.entries(files)) await fs.writeFile(path.join(dir, name), crypto.randomBytes(size))
    const huge = await fs.open(path.join(dir, hugeFile), 'w')
    await huge.truncate(1024 * MiB) // sparse: no disk space, reads as zeros
    await huge.close()
    return { dir }
  },
  async teardown ({ dir }) {
    await fs.rm(dir, { recursive: true, force: true })
  },
  cases: [
    fileCase('1 KiB', '1kib.bin', { aim: 2 }),
    fileCase('64 KiB', '64kib.bin'),
    fileCase('10 MiB', '10mib.bin', { aim: 2, minDuration: 4 }), // 50 concurrent 10 MiB responses take about a second each
    fileCase('1 MiB range of 10 MiB', '10mib.bin', { status: 206, request: { headers: { range: `bytes=${MiB}-${2 * MiB - 1}` } } }),
    {
      name: '1 GiB to a slow reader',
      description: 'server RSS while a client reads 1 MiB per 10 ms, above its RSS after a first short read',
      sides: fileSides(hugeFile),
      rounds: 1,
      columns: [['rssAboveIdle', 'MiB above idle'], ['read', 'MiB read']],
      limits: [['reply.fileResponse', 'rssAboveIdle', 64]],
      async measure ({ url, readRss, settings }) {
        await slowRead(url, { seconds: 0.2 }) // loads what the first send loads lazily: not a cost of the size
        await sleep(200)
        const idle = await readRss()
        const { peak, result: bytes } = await peakRssDuring(readRss, slowRead(url, { seconds: settings.quick ? 0.5 : 60 }))
        return { figures: { rssAboveIdle: (peak - idle) / MiB, read: bytes / MiB } }
      }
    }
  ]
}
