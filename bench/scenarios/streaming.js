'use strict'
// Streaming: 1,000 chunks of 1 KiB from an async generator through `reply.streamingResponse`
// against the same generator in `Readable.from` sent by plain Fastify; server-sent events per
// second on one connection; and the server's memory with 1,000 idle SSE clients.
const { once } = require('node:events')
const { Readable } = require('node:stream')
const { setTimeout: sleep } = require('node:timers/promises')
const { plainFastify, fastifyWithResponses } = require('../apps')
const { MiB, countEvents, openIdleClients } = require('../probes')

const chunk = Buffer.alloc(1024, 'x')
async function * chunks () {
  for (let i = 0; i < 1000; i++) yield chunk
}

async function * ticks () {
  for (let id = 0; ; id++) yield { id, message: 'tick' }
}

/** One event, then nothing until the client leaves: an idle subscriber. */
async function * oneEventThenIdle (closed) {
  yield { message: 'subscribed' }
  await closed
}

/** The baseline's SSE framing of a plain value: what EventSourceResponse writes for it. */
async function * framed (events) {
  for await (const event of events) yield `data: ${JSON.stringify(event)}\n\n`
}

const eventSource = { requires: { decorators: ['eventSourceResponse'] } }

/** The two SSE servers, each sending the events `source(reply)` yields on GET /. */
function sseSides (source) {
  return {
    'reply.eventSourceResponse': {
      ...eventSource,
      server: async () => (await fastifyWithResponses()).get('/', (request, reply) => reply.eventSourceResponse(source(reply)))
    },
    'fastify Readable.from, framed by hand': () => plainFastify().get('/', (request, reply) => reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(Readable.from(framed(source(reply)))))
  }
}

const idleClients = 1000

module.exports = {
  description: 'streaming',
  cases: [
    {
      name: '1,000 × 1 KiB chunks',
      description: 'an async generator of 1,000 chunks of 1 KiB',
      metric: 'throughput',
      sides: {
        'fastify Readable.from': () => plainFastify().get('/', (request, reply) => reply.send(Readable.from(chunks()))),
        'reply.streamingResponse': {
          requires: { decorators: ['streamingResponse'] },
          server: async () => (await fastifyWithResponses()).get('/', (request, reply) => reply.streamingResponse(chunks()))
        }
      },
      ratios: [['reply.streamingResponse', 'fastify Readable.from', 0.9]]
    },
    {
      name: 'SSE events/s',
      description: 'events per second on one connection, from an endless generator',
      sides: sseSides(() => ticks()),
      columns: [['events', 'events/s']],
      metric: 'events',
      ratios: [['reply.eventSourceResponse', 'fastify Readable.from, framed by hand']],
      async measure ({ url, duration }) {
        return { figures: { events: await countEvents(url, duration) } }
      }
    },
    {
      name: `${idleClients.toLocaleString('en-US')} idle SSE clients`,
      description: 'server RSS with that many open event streams, one event sent on each',
      sides: sseSides((reply) => oneEventThenIdle(once(reply.raw, 'close'))),
      rounds: 1, // RSS does not fall back after a round: a second one would start from a higher idle
      columns: [['rssAboveIdle', 'MiB above idle'], ['perClient', 'KiB per client']],
      async measure ({ url, readRss }) {
        // A few clients first load what the first streams load lazily: not a cost per client.
        const closeFirstClients = await openIdleClients(url, 10)
        closeFirstClients()
        await sleep(300)
        const idle = await readRss()
        const close = await openIdleClients(url, idleClients)
        await sleep(500)
        const rss = await readRss()
        close()
        return { figures: { rssAboveIdle: (rss - idle) / MiB, perClient: (rss - idle) / idleClients / 1024 } }
      }
    }
  ]
}
