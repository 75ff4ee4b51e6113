'use strict'
// A small JSON object through each of the plugin's three ways, against Fastify's `return obj`.
const { JSONResponse } = require('fastify-responses')
const { plainFastify, fastifyWithResponses } = require('../apps')

const data = { hello: 'world', id: 42, tags: ['fast', 'json'] }

module.exports = {
  description: 'small JSON object',
  cases: [{
    name: 'small object',
    sides: {
      'fastify return obj': () => plainFastify().get('/', () => data),
      'return obj, plugin registered': async () => (await fastifyWithResponses()).get('/', () => data),
      'reply.jsonResponse': async () => (await fastifyWithResponses()).get('/', (request, reply) => reply.jsonResponse(data)),
      'new JSONResponse': async () => (await fastifyWithResponses()).get('/', () => new JSONResponse(data)),
      'responseClass: JSONResponse': async () => (await fastifyWithResponses()).get('/', { responseClass: JSONResponse }, () => data)
    },
    ratios: [
      ['return obj, plugin registered', 'fastify return obj', 0.95],
      ['reply.jsonResponse', 'fastify return obj', 0.95],
      ['new JSONResponse', 'fastify return obj', 0.95],
      ['responseClass: JSONResponse', 'fastify return obj', 0.95]
    ]
  }]
}
