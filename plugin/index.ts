// fastify-responses: FastAPI's and Starlette's response classes for Fastify 5.
import * as errors from './errors.js'
import { fastifyResponses } from './plugin.js'

export { fastifyResponses }
export type { FastifyResponsesOptions, ResponseClass } from './plugin.js'
// Not `export type`: types/index.d.ts re-exports it with `export import`, which keeps its type parameters.
export { ResponseRouteHandler } from './plugin.js'
export { Response, HTMLResponse, PlainTextResponse } from './responses/response.js'
export type { ResponseOptions, TextContent } from './responses/response.js'
export { JSONResponse, ORJSONResponse, UJSONResponse } from './responses/json.js'
export type { ORJSONResponseOptions, UJSONResponseOptions } from './responses/json.js'
export type { UJSONOptions } from './json/ujson.js'
export { RedirectResponse } from './responses/redirect.js'
export type { RedirectOptions, RedirectStatusCode } from './responses/redirect.js'
export { StreamingResponse, JSONLinesResponse } from './responses/streaming.js'
export type { StreamSource } from './responses/streaming.js'
export { EventSourceResponse } from './responses/sse.js'
export type { EventStreamSource, EventSourceOptions } from './responses/sse.js'
export { ServerSentEvent } from './http/sse.js'
export type { ServerSentEventData, ServerSentEventFields, ServerSentEventInit } from './http/sse.js'
export type { Chunk, Source } from './stream/source.js'
export { FileResponse } from './responses/file.js'
export type { FileResponseOptions } from './responses/file.js'
export type { CacheControlOptions, FileOptions } from './file/options.js'
export type { Dotfiles } from './file/system.js'
export type { FileStats } from './http/etag.js'
export { BackgroundTask, BackgroundTasks } from './lib/background.js'
export type { Background } from './lib/background.js'
export type { CookieOptions, SameSite } from './http/cookie.js'
export { ResponseHeaders } from './http/headers.js'
export type { HeadersInit, HeaderValue } from './http/headers.js'
// SerializerRegistry as a type only: `render` receives the app's registry, never one built by hand.
export type { Serializer, SerializerRegistry } from './json/serializers.js'
export { errors }
export default fastifyResponses

// CommonJS: `require('fastify-responses')` is the plugin itself with every export on it, as
// Fastify plugins are; ESM's `import plugin, { Response } from` reads the same object.
module.exports = Object.assign(fastifyResponses, exports)
