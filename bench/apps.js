'use strict'
// The apps scenario sides build, in the server child. A side returns one of them (or an Express
// app) with its routes and without listening: bench/server.js listens on 127.0.0.1:0.
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')

/** Plain Fastify, the baseline: the plugin is not registered. */
function plainFastify () {
  return Fastify({ logger: false })
}

/** Fastify with fastify-responses registered; add routes once it resolves. */
async function fastifyWithResponses (pluginOptions) {
  const app = Fastify({ logger: false })
  await app.register(fastifyResponses, pluginOptions)
  return app
}

module.exports = { plainFastify, fastifyWithResponses }
