'use strict'
// A 307 redirect: `reply.redirectResponse` (which percent-encodes the URL) against Fastify's
// `reply.redirect(url, 307)` (which does not).
const { plainFastify, fastifyWithResponses } = require('../apps')

const target = '/docs/getting-started?lang=en&page=2'

module.exports = {
  description: '307 redirect',
  cases: [{
    name: '307',
    status: 307,
    sides: {
      'fastify reply.redirect': () => plainFastify().get('/', (request, reply) => reply.redirect(target, 307)),
      'reply.redirectResponse': async () => (await fastifyWithResponses()).get('/', (request, reply) => reply.redirectResponse(target))
    },
    ratios: [['reply.redirectResponse', 'fastify reply.redirect', 0.95]]
  }]
}
