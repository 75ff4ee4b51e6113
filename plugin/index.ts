// fastify-responses: FastAPI's and Starlette's response classes for Fastify 5.
import * as errors from './errors.js'
import { fastifyResponses } from './plugin.js'

export { fastifyResponses }
export type { FastifyResponsesOptions, ResponseClass } from './plugin.js'
export { Response, HTMLResponse, PlainTextResponse } from './responses/response.js'
export type { ResponseOptions } from './responses/response.js'
export { JSONResponse, ORJSONResponse, UJSONResponse } from './responses/json.js'
export type { ORJSONResponseOptions, UJSONResponseOptions } from './responses/json.js'
export type { UJSONOptions } from './lib/json-ujson.js'
export { RedirectResponse } from './responses/redirect.js'
export type { RedirectOptions } from './responses/redirect.js'
export { BackgroundTask, BackgroundTasks } from './lib/background.js'
export type { Background } from './lib/background.js'
export type { CookieOptions } from './lib/cookie.js'
export { ResponseHeaders } from './lib/headers.js'
export type { Serializer } from './lib/serializers.js'
export { errors }
export default fastifyResponses

// CommonJS: `require('fastify-responses')` is the plugin itself with every export on it, as
// Fastify plugins are; ESM's `import plugin, { Response } from` reads the same object.
module.exports = Object.assign(fastifyResponses, exports)
