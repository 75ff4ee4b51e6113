'use strict'
// The JSON serializers on the serializer engineer's payloads (bench/payloads.js exports
// `{ [key]: { name, data, schema } }`), each without and with a response
// schema: the plugin's JSON paths against Fastify's `return obj`, ORJSONResponse against
// JSONResponse, and `new ORJSONResponse(data, { schema })` against a Fastify route with that schema.
const { JSONResponse, ORJSONResponse } = require('fastify-responses')
const { plainFastify, fastifyWithResponses } = require('../apps')

const orjson = { requires: { exports: ['ORJSONResponse'] } }

function routeOptions (schema) {
  return schema === undefined ? {} : { schema: { response: { 200: schema } } }
}

/** The four sides for one payload; `schema` (when given) is on the routes, and ORJSONResponse's option. */
function payloadCase (key, { name, data }, schema) {
  const options = routeOptions(schema)
  const bytes = Buffer.byteLength(JSON.stringify(data))
  return {
    name: schema === undefined ? key : `${key} + schema`,
    description: `${name}, ${bytes < 1024 ? bytes + ' B' : (bytes / 1024).toFixed(1) + ' KiB'} of JSON${schema === undefined ? '' : ', with its response schema'}`,
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
    return Object.entries(require('../payloads')).flatMap(([key, payload]) => {
      if (payload?.data === undefined) throw new Error(`bench/payloads.js: ${key} is not { name, data, schema }`)
      return [payloadCase(key, payload), ...(payload.schema === undefined ? [] : [payloadCase(key, payload, payload.schema)])]
    })
  }
}
