// The plugin entry: wires the reply decorators, the route wrapper for returned instances and
// `responseClass`, the preSerialization fallback for routes declared before registration,
// background tasks and app-wide options. The behaviour lives in the response classes.
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest, RouteHandlerMethod, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { FST_RESPONSES_INVALID_CONTENT, FST_RESPONSES_INVALID_OPTION } from './errors.js'
import type { BackgroundTasks } from './lib/background.js'
import { type AppState, kPendingTasks, pendingTasks, type ReplyWithTasks, sendResponse, sendResponseFromHook } from './lib/send.js'
import { checkFileOptions, type FileOptions } from './lib/file-options.js'
import { defaultSerializers, type Serializer } from './lib/serializers.js'
import type { RedirectPolicy } from './lib/url.js'
import { FileResponse, type FileResponseOptions } from './responses/file.js'
import { JSONResponse, ORJSONResponse, type ORJSONResponseOptions, UJSONResponse, type UJSONResponseOptions } from './responses/json.js'
import { RedirectResponse, type RedirectOptions } from './responses/redirect.js'
import { describe, HTMLResponse, PlainTextResponse, Response, type ResponseOptions } from './responses/response.js'
import { EventSourceResponse, type EventStreamSource, type EventSourceOptions } from './responses/sse.js'
import { JSONLinesResponse, StreamingResponse, type StreamSource } from './responses/streaming.js'

/** A class whose constructor takes (content, options): what `responseClass` accepts. */
export type ResponseClass = new (content: any, options?: { statusCode?: number }) => Response

export interface FastifyResponsesOptions {
  /** FastAPI's `default_response_class`: wraps what every handler returns. */
  defaultResponseClass?: ResponseClass
  /** Serializers by media type, for content that is neither text nor bytes. */
  serializers?: Record<string, Serializer>
  /** The open-redirect guard: when set, redirects may only leave for these origins. */
  redirect?: { allowedOrigins?: string[] }
  /** App-wide defaults for FileResponse options (root, etag, maxRanges, chunkSize...). */
  file?: FileOptions
}

declare module 'fastify' {
  interface FastifyReply {
    response(content?: unknown, options?: ResponseOptions): FastifyReply
    htmlResponse(content?: unknown, options?: ResponseOptions): FastifyReply
    plainTextResponse(content?: unknown, options?: ResponseOptions): FastifyReply
    jsonResponse(content: unknown, options?: ResponseOptions): FastifyReply
    orjsonResponse(content: unknown, options?: ORJSONResponseOptions): FastifyReply
    ujsonResponse(content: unknown, options?: UJSONResponseOptions): FastifyReply
    redirectResponse(url: string | URL, options?: RedirectOptions): FastifyReply
    streamingResponse(source: StreamSource, options?: ResponseOptions): FastifyReply
    jsonLinesResponse(source: StreamSource, options?: ResponseOptions): FastifyReply
    eventSourceResponse(source: EventStreamSource, options?: EventSourceOptions): FastifyReply
    fileResponse(path: string, options?: FileResponseOptions): FastifyReply
    /** Sends a response instance through this reply. */
    sendResponse(response: Response): FastifyReply
    /** Request-scoped background tasks (FastAPI's injected BackgroundTasks). */
    readonly backgroundTasks: BackgroundTasks
  }
  interface FastifyInstance {
    responses: {
      registerSerializer(mediaType: string, serializer: Serializer): void
    }
  }
  interface RouteShorthandOptions {
    /** FastAPI's `response_class`: the handler's return value becomes this class's content. */
    responseClass?: ResponseClass
  }
}

/** `reply.<name>` for each class: constructs it with the same arguments and sends it. */
const decoratedClasses: Record<string, new (...args: any[]) => Response> = {
  response: Response,
  htmlResponse: HTMLResponse,
  plainTextResponse: PlainTextResponse,
  jsonResponse: JSONResponse,
  orjsonResponse: ORJSONResponse,
  ujsonResponse: UJSONResponse,
  redirectResponse: RedirectResponse,
  streamingResponse: StreamingResponse,
  jsonLinesResponse: JSONLinesResponse,
  eventSourceResponse: EventSourceResponse,
  fileResponse: FileResponse
}

// Fastify passes its own register options to the plugin too.
const knownOptions = new Set(['defaultResponseClass', 'serializers', 'redirect', 'file', 'prefix', 'logLevel', 'logSerializers'])

function isResponseClass (value: unknown): value is ResponseClass {
  return typeof value === 'function' && (value === Response || value.prototype instanceof Response)
}

function redirectPolicy (option: FastifyResponsesOptions['redirect']): RedirectPolicy | undefined {
  if (option === undefined) return undefined
  const origins = option?.allowedOrigins ?? []
  if (typeof option !== 'object' || option === null || !Array.isArray(origins)) {
    throw new FST_RESPONSES_INVALID_OPTION('redirect must be { allowedOrigins: string[] }')
  }
  const allowedOrigins = new Set<string>()
  for (const origin of origins) {
    let parsed: URL | undefined
    try { parsed = new URL(origin) } catch {}
    if (parsed === undefined || parsed.origin === 'null' || parsed.href !== parsed.origin + '/') {
      throw new FST_RESPONSES_INVALID_OPTION(`redirect.allowedOrigins: ${JSON.stringify(origin)} is not an origin like "https://example.com"`)
    }
    allowedOrigins.add(parsed.origin)
  }
  return { allowedOrigins }
}

function fileDefaults (option: FastifyResponsesOptions['file']): FileOptions | undefined {
  if (option === undefined) return undefined
  if (typeof option !== 'object' || option === null) throw new FST_RESPONSES_INVALID_OPTION('file must be an object of FileResponse options')
  return checkFileOptions(option as Record<string, unknown>, 'file')
}

function createState (options: FastifyResponsesOptions): AppState {
  for (const key of Object.keys(options)) {
    if (!knownOptions.has(key)) throw new FST_RESPONSES_INVALID_OPTION(`unknown option "${key}"`)
  }
  if (options.defaultResponseClass !== undefined && !isResponseClass(options.defaultResponseClass)) {
    throw new FST_RESPONSES_INVALID_OPTION('defaultResponseClass must be a Response subclass')
  }
  const serializers = defaultSerializers.copy()
  if (options.serializers !== undefined) {
    if (typeof options.serializers !== 'object' || options.serializers === null) {
      throw new FST_RESPONSES_INVALID_OPTION('serializers must be an object of media type to function')
    }
    for (const [mediaType, serializer] of Object.entries(options.serializers)) serializers.register(mediaType, serializer)
  }
  return { serializers, redirect: redirectPolicy(options.redirect), file: fileDefaults(options.file), running: new Set() }
}

/**
 * Wraps a handler so a returned instance is sent as it is and, with a response class, any other
 * returned value becomes its content (the status set with reply.code() wins over the class default).
 */
function wrapHandler (handler: RouteHandlerMethod, responseClass: ResponseClass | undefined, state: AppState): RouteHandlerMethod {
  function toReply (reply: FastifyReply, value: unknown): unknown {
    if (value instanceof Response) return sendResponse(reply, value, state)
    if (responseClass === undefined || value === undefined || value === reply) return value
    const statusCode = reply.statusCode === 200 ? undefined : reply.statusCode
    return sendResponse(reply, new responseClass(value, statusCode === undefined ? undefined : { statusCode }), state)
  }
  return function handlerWithResponses (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    const result = (handler as (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown).call(this, request, reply)
    if (result !== reply && typeof (result as Promise<unknown>)?.then === 'function') {
      return (result as Promise<unknown>).then((value) => toReply(reply, value))
    }
    return toReply(reply, result)
  } as RouteHandlerMethod
}

const plugin: FastifyPluginCallback<FastifyResponsesOptions> = function fastifyResponses (app, options, done) {
  // avvio does not catch what a callback plugin throws: invalid options go through done().
  let state: AppState
  try {
    state = createState(options)
  } catch (err) {
    done(err as Error)
    return
  }

  for (const [name, ResponseType] of Object.entries(decoratedClasses)) {
    // Every constructor takes (content, options): no rest arguments on this per-request path.
    app.decorateReply(name, function (this: FastifyReply, content: unknown, options: unknown) {
      let response: Response
      try {
        response = new ResponseType(content, options)
      } catch (err) {
        return this.send(err)
      }
      return sendResponse(this, response, state)
    })
  }
  app.decorateReply('sendResponse', function (this: FastifyReply, response: Response) {
    if (!(response instanceof Response)) {
      return this.send(new FST_RESPONSES_INVALID_CONTENT(`reply.sendResponse takes a Response instance, not ${describe(response)}`))
    }
    return sendResponse(this, response, state)
  })
  app.decorateReply('backgroundTasks', {
    getter (this: FastifyReply) {
      return pendingTasks(this, state).requestTasks
    }
  })
  app.decorate('responses', {
    registerSerializer (mediaType: string, serializer: Serializer) {
      state.serializers.register(mediaType, serializer)
    }
  })

  app.addHook('onRoute', (route: RouteOptions & { responseClass?: ResponseClass }) => {
    const responseClass = route.responseClass ?? options.defaultResponseClass
    if (responseClass !== undefined && !isResponseClass(responseClass)) {
      throw new FST_RESPONSES_INVALID_OPTION(`responseClass of ${route.method} ${route.url} must be a Response subclass`)
    }
    route.handler = wrapHandler(route.handler, responseClass, state)
  })

  // Routes declared before the plugin was registered are not wrapped: their returned instances
  // reach Fastify's serialization, and are sent from here instead.
  app.addHook('preSerialization', (_request, reply, payload, hookDone) => {
    if (!(payload instanceof Response)) {
      hookDone(null, payload)
      return
    }
    if (reply.getHeader('content-type') === 'application/json; charset=utf-8') reply.removeHeader('content-type')
    sendResponseFromHook(reply, payload, state, hookDone)
  })

  app.addHook('onError', (_request, reply, _error, hookDone) => {
    const pending = (reply as ReplyWithTasks)[kPendingTasks]
    if (pending !== undefined) pending.cancelled = true
    hookDone()
  })

  app.addHook('onClose', async () => {
    while (state.running.size > 0) await Promise.allSettled([...state.running])
  })

  done()
}

export const fastifyResponses = fp(plugin, { name: 'fastify-responses', fastify: '5.x' })
