'use strict'
// An HTML page as a string: `reply.htmlResponse` against Fastify's `reply.type().send()`.
const { plainFastify, fastifyWithResponses } = require('../apps')

const rows = Array.from({ length: 40 }, (_, i) => `<li><a href="/items/${i}">Item ${i}</a></li>`).join('\n')
const page = `<!doctype html>\n<html><head><title>Items</title></head><body><h1>Items</h1><ul>\n${rows}\n</ul></body></html>`

module.exports = {
  description: `HTML string (${Buffer.byteLength(page)} B)`,
  cases: [{
    name: 'page',
    sides: {
      'fastify type().send': () => plainFastify().get('/', (request, reply) => reply.type('text/html').send(page)),
      'reply.htmlResponse': async () => (await fastifyWithResponses()).get('/', (request, reply) => reply.htmlResponse(page))
    },
    ratios: [['reply.htmlResponse', 'fastify type().send', 0.95]]
  }]
}
