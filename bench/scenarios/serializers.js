'use strict'
// The JSON serializers on the serializer engineer's payloads (bench/payloads.js exports
// `{ payloads: { name: data }, schemas: { name: schema } }`), each without and with a response
// schema: the plugin's JSON paths against Fastify's `return obj`, ORJSONResponse against
// JSONResponse, and `new ORJSONResponse(data, { schema })` against a Fastify route with that schema.
const { JSONResponse, ORJSONResponse } = require('fastify-responses')
const { plainFastify, fastifyWithResponses } = require('../apps')

const orjson = { requires: { exports: ['ORJSONResponse'] } }

function routeOptions (schema) {
  return schema === undefined ? {} : { schema: { response: { 200: schema } } }
}

/** The four sides for one payload; `schema` (when given) is on the routes, and ORJSONResponse's option. */
function payloadCase (name, data, schema) {
  const options = routeOptions(schema)
  const bytes = Buffer.byteLength(JSON.stringify(data))
  return {
    name: schema === undefined ? name : `${name} + schema`,
    description: `${name} payload, ${bytes < 1024 ? bytes + ' B' : (bytes / 1024).toFixed(1) + ' KiB'} of JSON${schema === undefined ? '' : ', with a response schema'}`,
    sides: {
      fastify: () => plainFastify().get('/', options, () => data),
      'reply.jsonResponse': async () => (await fastifyWithResponses()).get('/', options, (request, reply) => reply.jsonResponse(data)),
      'new JSONResponse': async () => (await fastifyWithResponses()).get('/', options, () => new JSONResponse(data)),
      'new ORJSONResponse': {
        ...orjson,
        server: async () => (await fastifyWithResponses()).get('/', () => new ORJSONResponse(data, { schema }))
      }
    },
    ratios: [
      ['reply.jsonResponse', 'fastify', 0.95],
      ['new JSONResponse', 'fastify', 0.95],
      ['new ORJSONResponse', 'new JSONResponse', schema === undefined ? 1 : 1.2],
      ['new ORJSONResponse', 'fastify', schema === undefined ? undefined : 0.95]
    ]
  }
}

module.exports = {
  description: 'JSON serializers',
  requires: { exports: ['JSONResponse'], modules: ['../payloads'] },
  cases () {
    const { payloads, schemas } = require('../payloads')
    if (payloads === null || typeof payloads !== 'object' || schemas === null || typeof schemas !== 'object') {
      throw new Error('bench/payloads.js must export { payloads, schemas }, objects keyed by payload name')
    }
    return Object.entries(payloads).flatMap(([name, data]) => [
      payloadCase(name, data, undefined),
      ...(schemas[name] === undefined ? [] : [payloadCase(name, data, schemas[name])])
    ])
  }
}
