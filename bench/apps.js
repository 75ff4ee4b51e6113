'use strict'
// The apps scenario sides build, in the server child. A side returns one of them (or an Express
// app) with its routes and without listening: bench/server.js listens on 127.0.0.1:0.
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')

/** Plain Fastify, the baseline: the plugin is not registered. `fastifyOptions` such as `{ http2: true }`. */
function plainFastify (fastifyOptions) {
  return Fastify({ logger: false, ...fastifyOptions })
}

/** Fastify with fastify-responses registered; add routes once it resolves. */
async function fastifyWithResponses (pluginOptions, fastifyOptions) {
  const app = Fastify({ logger: false, ...fastifyOptions })
  await app.register(fastifyResponses, pluginOptions)
  return app
}

module.exports = { plainFastify, fastifyWithResponses }
