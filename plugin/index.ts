// fastify-responses: FastAPI's and Starlette's response classes for Fastify 5.
import * as errors from './errors.js'
import { fastifyResponses } from './plugin.js'

export { fastifyResponses }
export type { FastifyResponsesOptions, ResponseClass } from './plugin.js'
export { Response, HTMLResponse, PlainTextResponse } from './responses/response.js'
export type { ResponseOptions } from './responses/response.js'
export { JSONResponse, ORJSONResponse, UJSONResponse } from './responses/json.js'
export type { ORJSONResponseOptions, UJSONResponseOptions } from './responses/json.js'
export type { UJSONOptions } from './json/ujson.js'
export { RedirectResponse } from './responses/redirect.js'
export type { RedirectOptions } from './responses/redirect.js'
export { StreamingResponse, JSONLinesResponse } from './responses/streaming.js'
export type { StreamSource } from './responses/streaming.js'
export { EventSourceResponse } from './responses/sse.js'
export type { EventStreamSource, EventSourceOptions } from './responses/sse.js'
export { ServerSentEvent } from './http/sse.js'
export type { ServerSentEventInit } from './http/sse.js'
export type { Source } from './stream/source.js'
export { FileResponse } from './responses/file.js'
export type { FileResponseOptions } from './responses/file.js'
export type { FileOptions } from './file/options.js'
export { BackgroundTask, BackgroundTasks } from './lib/background.js'
export type { Background } from './lib/background.js'
export type { CookieOptions } from './http/cookie.js'
export { ResponseHeaders } from './http/headers.js'
export type { Serializer } from './json/serializers.js'
export { errors }
export default fastifyResponses

// CommonJS: `require('fastify-responses')` is the plugin itself with every export on it, as
// Fastify plugins are; ESM's `import plugin, { Response } from` reads the same object.
module.exports = Object.assign(fastifyResponses, exports)
