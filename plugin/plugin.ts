// The plugin entry: the reply decorators, the route wrapper for `responseClass` and its OpenAPI
// entry, the hook that sends returned instances, background tasks and the options of each context.
// The behaviour lives in the response classes; fastify/adapter.ts is the one place they meet the reply.
import type {
  ContextConfigDefault, FastifyBaseLogger, FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest, FastifySchema, FastifyTypeProvider,
  FastifyTypeProviderDefault, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerBase, RawServerDefault, RouteGenericInterface,
  RouteHandlerMethod, RouteOptions
} from 'fastify'
import fp from 'fastify-plugin'
import { FST_RESPONSES_ALREADY_REGISTERED, FST_RESPONSES_INVALID_CONTENT, FST_RESPONSES_INVALID_OPTION } from './errors.js'
import type { BackgroundTasks } from './lib/background.js'
import { type AppState, kPendingTasks, ownCookiesLast, pendingTasks, type ReplyWithTasks, sendResponse } from './fastify/adapter.js'
import { documentResponseClass } from './fastify/openapi.js'
import { waitForTasks } from './fastify/tasks.js'
import { FileCaches } from './file/cache.js'
import { checkFileOptions, type FileOptions, type FileSettings } from './file/options.js'
import { defaultSerializers, type Serializer, type SerializerRegistry } from './json/serializers.js'
import { isHttpUrl, parseUrl, type RedirectPolicy } from './http/url.js'
import { isPromise } from './lib/promise.js'
import { isTimerDelay } from './lib/timer-delay.js'
import { FileResponse, type FileResponseOptions } from './responses/file.js'
import { JSONResponse, ORJSONResponse, type ORJSONResponseOptions, UJSONResponse, type UJSONResponseOptions } from './responses/json.js'
import { RedirectResponse, type RedirectOptions } from './responses/redirect.js'
import { describe, HTMLResponse, PlainTextResponse, Response, type ResponseOptions, type TextContent } from './responses/response.js'
import { EventSourceResponse, type EventStreamSource, type EventSourceOptions } from './responses/sse.js'
import { JSONLinesResponse, StreamingResponse, type StreamSource } from './responses/streaming.js'
import type { Chunk } from './stream/source.js'

/**
 * A class whose constructor takes (content, options): what `responseClass` accepts. The status
 * set with reply.code() is passed as a plain number, which the class checks (a redirect's is 3xx).
 */
export type ResponseClass = new (content: any, options?: { statusCode?: any }) => Response

export interface FastifyResponsesOptions {
  /** FastAPI's `default_response_class`: wraps what the routes of this context and its descendants return. */
  defaultResponseClass?: ResponseClass
  /** Serializers by media type, for content that is neither text nor bytes. */
  serializers?: Record<string, Serializer>
  /**
   * The open-redirect guard: when set, a redirect may only go to the app's own origins or to
   * `allowedOrigins`. The app's own are `origins` when given, else the request's: its Host header.
   */
  redirect?: { origins?: string[], allowedOrigins?: string[] }
  /** App-wide defaults for FileResponse options (root, etag, maxRanges, chunkSize, cache...). */
  file?: FileOptions
  /** Milliseconds `app.close()` waits for background tasks still running. Default 5000; app-wide, so given where the plugin is first registered. */
  closeTimeout?: number
}

/**
 * A route handler as Fastify types it, that may also return a response instance or the reply (the
 * decorators return it) whatever the route's reply type, as any FastAPI handler may return a
 * Response: Fastify types a handler's return by the route's reply type alone.
 */
export type ResponseRouteHandler<
  RawServer extends RawServerBase = RawServerDefault,
  RawRequest extends RawRequestDefaultExpression<RawServer> = RawRequestDefaultExpression<RawServer>,
  RawReply extends RawReplyDefaultExpression<RawServer> = RawReplyDefaultExpression<RawServer>,
  RouteGeneric extends RouteGenericInterface = RouteGenericInterface,
  ContextConfig = ContextConfigDefault,
  SchemaCompiler extends FastifySchema = FastifySchema,
  TypeProvider extends FastifyTypeProvider = FastifyTypeProviderDefault,
  Logger extends FastifyBaseLogger = FastifyBaseLogger
> = (
  this: FastifyInstance<RawServer, RawRequest, RawReply, Logger, TypeProvider>,
  request: FastifyRequest<RouteGeneric, RawServer, RawRequest, SchemaCompiler, TypeProvider, ContextConfig, Logger>,
  reply: FastifyReply<RouteGeneric, RawServer, RawRequest, RawReply, ContextConfig, SchemaCompiler, TypeProvider>
) => OrResponse<ReturnType<RouteHandlerMethod<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, SchemaCompiler, TypeProvider, Logger>>>

/**
 * A handler's return type widened by response instances, sync or async, and by the reply a sync
 * handler returns (an async one already may: the reply is a thenable of nothing).
 */
type OrResponse<Return> = Return | Response | FastifyReply<any, any, any, any, any, any, any, any> | Promise<Awaited<Return> | Response>

// The type parameters are Fastify's (their constraints and defaults come from its declarations).
declare module 'fastify' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- an augmentation repeats every parameter
  interface FastifyReply<RouteGeneric, RawServer, RawRequest, RawReply, ContextConfig, SchemaCompiler, TypeProvider, ReplyType> {
    response(content?: unknown, options?: ResponseOptions): this
    htmlResponse(content?: TextContent, options?: ResponseOptions): this
    plainTextResponse(content?: TextContent, options?: ResponseOptions): this
    /** The content is typed as `reply.send`'s payload: the route's reply type (after `reply.code()`, that status's), if it declares one. */
    jsonResponse(content: ReplyType, options?: ResponseOptions): this
    orjsonResponse(content: ReplyType, options?: ORJSONResponseOptions): this
    ujsonResponse(content: ReplyType, options?: UJSONResponseOptions): this
    redirectResponse(url: string | URL, options?: RedirectOptions): this
    streamingResponse(source: StreamSource<Chunk>, options?: ResponseOptions): this
    jsonLinesResponse(source: StreamSource, options?: ResponseOptions): this
    eventSourceResponse(source: EventStreamSource, options?: EventSourceOptions): this
    fileResponse(path: string, options?: FileResponseOptions): this
    /** Sends a response instance through this reply. */
    sendResponse(response: Response): this
    /** Request-scoped background tasks (FastAPI's injected BackgroundTasks). */
    readonly backgroundTasks: BackgroundTasks
  }
  interface FastifyInstance<RawServer, RawRequest, RawReply, Logger, TypeProvider> {
    responses: {
      registerSerializer(mediaType: string, serializer: Serializer): void
    }
    route<RouteGeneric extends RouteGenericInterface = RouteGenericInterface, ContextConfig = ContextConfigDefault, const SchemaCompiler extends FastifySchema = FastifySchema>(
      opts: Omit<RouteOptions<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, SchemaCompiler, TypeProvider, Logger>, 'handler'> & {
        handler: ResponseRouteHandler<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, SchemaCompiler, TypeProvider, Logger>
      }
    ): FastifyInstance<RawServer, RawRequest, RawReply, Logger, TypeProvider>
  }
  // Fastify's three shorthand signatures (app.get, app.post...), with handlers that may return a response.
  interface RouteShorthandMethod<RawServer, RawRequest, RawReply, TypeProvider, Logger> {
    <RouteGeneric extends RouteGenericInterface = RouteGenericInterface, ContextConfig = ContextConfigDefault, const SchemaCompiler extends FastifySchema = FastifySchema>(
      path: string,
      opts: RouteShorthandOptions<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, SchemaCompiler, TypeProvider, Logger>,
      handler: ResponseRouteHandler<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, SchemaCompiler, TypeProvider, Logger>
    ): FastifyInstance<RawServer, RawRequest, RawReply, Logger, TypeProvider>
    <RouteGeneric extends RouteGenericInterface = RouteGenericInterface, ContextConfig = ContextConfigDefault, const SchemaCompiler extends FastifySchema = FastifySchema>(
      path: string,
      handler: ResponseRouteHandler<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, SchemaCompiler, TypeProvider, Logger>
    ): FastifyInstance<RawServer, RawRequest, RawReply, Logger, TypeProvider>
    <RouteGeneric extends RouteGenericInterface = RouteGenericInterface, ContextConfig = ContextConfigDefault, const SchemaCompiler extends FastifySchema = FastifySchema>(
      path: string,
      opts: RouteShorthandOptions<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, SchemaCompiler, TypeProvider, Logger> & {
        handler: ResponseRouteHandler<RawServer, RawRequest, RawReply, RouteGeneric, ContextConfig, NoInfer<SchemaCompiler>, TypeProvider, Logger>
      }
    ): FastifyInstance<RawServer, RawRequest, RawReply, Logger, TypeProvider>
  }
  interface RouteShorthandOptions {
    /** FastAPI's `response_class`: the handler's return value becomes this class's content; `false` opts out of a default. */
    responseClass?: ResponseClass | false
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
const knownOptions = new Set(['defaultResponseClass', 'serializers', 'redirect', 'file', 'closeTimeout', 'prefix', 'logLevel', 'logSerializers'])

// The state of the nearest context that registered the plugin: set on that instance, read through
// the prototype chain Fastify's encapsulation builds (a child context inherits its parent's).
const kState = Symbol('fastify-responses.state')

interface ContextState extends AppState {
  defaultResponseClass: ResponseClass | undefined
  closeTimeout: number
}

type WithState = FastifyInstance & { [kState]?: ContextState }

function stateOf (instance: FastifyInstance): ContextState {
  return (instance as WithState)[kState] as ContextState
}

function isResponseClass (value: unknown): value is ResponseClass {
  return typeof value === 'function' && (value === Response || value.prototype instanceof Response)
}

const redirectKeys = new Set(['origins', 'allowedOrigins'])

/** A list of origins, each as WHATWG URL serialises it (lowercase host, no default port). */
function originList (list: unknown, name: string): string[] {
  if (!Array.isArray(list)) throw new FST_RESPONSES_INVALID_OPTION(`redirect.${name} must be an array of origins`)
  return list.map((origin: unknown) => {
    const parsed = typeof origin === 'string' ? parseUrl(origin) : undefined
    if (parsed === undefined || !isHttpUrl(parsed) || parsed.href !== parsed.origin + '/') {
      throw new FST_RESPONSES_INVALID_OPTION(`redirect.${name}: ${JSON.stringify(origin)} is not an origin like "https://example.com"`)
    }
    return parsed.origin
  })
}

function redirectPolicy (option: FastifyResponsesOptions['redirect']): RedirectPolicy {
  if (typeof option !== 'object' || option === null) {
    throw new FST_RESPONSES_INVALID_OPTION('redirect must be { origins?: string[], allowedOrigins?: string[] }')
  }
  for (const key of Object.keys(option)) {
    if (!redirectKeys.has(key)) throw new FST_RESPONSES_INVALID_OPTION(`unknown option "redirect.${key}"`)
  }
  const origins = option.origins === undefined ? undefined : originList(option.origins, 'origins')
  // No own origin would leave nothing to judge a redirect against.
  if (origins?.length === 0) throw new FST_RESPONSES_INVALID_OPTION('redirect.origins must name at least one origin')
  return { origins, allowedOrigins: new Set(originList(option.allowedOrigins ?? [], 'allowedOrigins')) }
}

function fileDefaults (option: FastifyResponsesOptions['file']): FileSettings {
  if (typeof option !== 'object' || option === null) throw new FST_RESPONSES_INVALID_OPTION('file must be an object of FileResponse options')
  return checkFileOptions(option as Record<string, unknown>, 'file')
}

// The tasks `app.close()` waits for are the whole app's: one limit, set by the first registration.
function closeTimeoutOption (option: unknown, parent: ContextState | undefined): number {
  if (option === undefined) return parent?.closeTimeout ?? 5000
  if (parent !== undefined) throw new FST_RESPONSES_INVALID_OPTION('closeTimeout applies to the whole app: give it where the plugin is first registered')
  // setTimeout takes at most 2^31 - 1 ms (it fires at once past that).
  if (!isTimerDelay(option)) {
    throw new FST_RESPONSES_INVALID_OPTION('closeTimeout must be a number of milliseconds, from 0 to 2147483647')
  }
  return option
}

function serializerRegistry (option: FastifyResponsesOptions['serializers'], inherited: SerializerRegistry): SerializerRegistry {
  if (typeof option !== 'object' || option === null) {
    throw new FST_RESPONSES_INVALID_OPTION('serializers must be an object of media type to function')
  }
  const serializers = inherited.copy()
  for (const [mediaType, serializer] of Object.entries(option)) serializers.register(mediaType, serializer)
  return serializers
}

/** The state for a context: its options, and the parent's (if any) for every option it does not give. */
function createState (options: FastifyResponsesOptions, parent: ContextState | undefined): ContextState {
  for (const key of Object.keys(options)) {
    if (!knownOptions.has(key)) throw new FST_RESPONSES_INVALID_OPTION(`unknown option "${key}"`)
  }
  const { defaultResponseClass, serializers, redirect, file, closeTimeout } = options
  if (defaultResponseClass !== undefined && !isResponseClass(defaultResponseClass)) {
    throw new FST_RESPONSES_INVALID_OPTION('defaultResponseClass must be a Response subclass')
  }
  return {
    defaultResponseClass: defaultResponseClass ?? parent?.defaultResponseClass,
    serializers: serializers === undefined ? parent?.serializers ?? defaultSerializers.copy() : serializerRegistry(serializers, parent?.serializers ?? defaultSerializers),
    redirect: redirect === undefined ? parent?.redirect : redirectPolicy(redirect),
    file: file === undefined ? parent?.file : fileDefaults(file),
    // One cache per app: every context of it shares the stores.
    fileCaches: parent?.fileCaches ?? new FileCaches(),
    closeTimeout: closeTimeoutOption(closeTimeout, parent),
    running: parent?.running ?? new Set()
  }
}

/** A route's hooks of one kind as a list (a route option takes one function or a list). */
function hookList<T> (hooks: T | T[] | undefined): T[] {
  if (hooks === undefined) return []
  return Array.isArray(hooks) ? hooks : [hooks]
}

/** What Fastify sends by itself, which a default class leaves alone: bytes, streams, web `Response`s. */
function isNativePayload (value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  return ArrayBuffer.isView(value) || typeof (value as { pipe?: unknown }).pipe === 'function' ||
    typeof (value as { getReader?: unknown }).getReader === 'function' || Object.prototype.toString.call(value) === '[object Response]'
}

/** A source a stream class takes that Fastify cannot send: an iterable (a generator, an array) other than text or bytes. */
function isIterableSource (value: unknown): boolean {
  return typeof value === 'object' && value !== null && (Symbol.asyncIterator in value || Symbol.iterator in value)
}

/**
 * Whether a default class takes a returned value: not what Fastify sends natively, not when the
 * handler chose a content type itself, and only what the class can render (a custom `render`
 * takes anything; Response's own takes text, or values its media type has a serializer for; a
 * stream class takes iterables, its sources, and nothing else).
 * Anything else is sent as Fastify sends it, so routes written without the default keep working.
 */
function defaultTakes (responseClass: ResponseClass, value: unknown, reply: FastifyReply, state: ContextState): boolean {
  if (isNativePayload(value) || reply.hasHeader('content-type')) return false
  if (responseClass === StreamingResponse || responseClass.prototype instanceof StreamingResponse) return isIterableSource(value)
  if (value === null || typeof value === 'string' || responseClass.prototype.render !== Response.prototype.render) return true
  const mediaType = (responseClass as unknown as typeof Response).mediaType
  return mediaType !== undefined && state.serializers.has(mediaType)
}

/**
 * Wraps the handler of a route with a response class: its return value becomes the content
 * (the status set with reply.code() wins over the class default). Instances, the reply and
 * `undefined` are Fastify's to send, as on any route.
 */
function wrapHandler (handler: RouteHandlerMethod, Class: ResponseClass, isDefault: boolean, state: ContextState): RouteHandlerMethod {
  function toReply (reply: FastifyReply, value: unknown): unknown {
    if (value === undefined || value === reply || value instanceof Response) return value
    if (isDefault && !defaultTakes(Class, value, reply, state)) return value
    const statusCode = reply.statusCode === 200 ? undefined : reply.statusCode
    return sendResponse(reply, new Class(value, statusCode === undefined ? undefined : { statusCode }), state)
  }
  return function handlerWithResponseClass (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    const result = (handler as (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => unknown).call(this, request, reply)
    if (result !== reply && isPromise(result)) {
      return result.then((value) => toReply(reply, value))
    }
    return toReply(reply, result)
  } as RouteHandlerMethod
}

/** The decorators, hooks and close handling, added once per encapsulation tree (its first registration). */
function install (app: FastifyInstance): void {
  for (const [name, ResponseType] of Object.entries(decoratedClasses)) {
    // Every constructor takes (content, options): no rest arguments on this per-request path.
    app.decorateReply(name, function (this: FastifyReply, content: unknown, options: unknown) {
      let response: Response
      try {
        response = new ResponseType(content, options)
      } catch (err) {
        return this.send(err)
      }
      return sendResponse(this, response, stateOf(this.server))
    })
  }
  app.decorateReply('sendResponse', function (this: FastifyReply, response: Response) {
    if (!(response instanceof Response)) {
      return this.send(new FST_RESPONSES_INVALID_CONTENT(`reply.sendResponse takes a Response instance, not ${describe(response)}`))
    }
    return sendResponse(this, response, stateOf(this.server))
  })
  app.decorateReply('backgroundTasks', {
    getter (this: FastifyReply) {
      return pendingTasks(this, stateOf(this.server)).requestTasks
    }
  })
  app.decorate('responses', {
    getter (this: FastifyInstance) {
      const state = stateOf(this)
      return { registerSerializer (mediaType: string, serializer: Serializer) { state.serializers.register(mediaType, serializer) } }
    }
  })

  // The routes whose class is documented once their serializers are compiled (see onReady).
  const documented: Array<[RouteOptions, ResponseClass]> = []

  app.addHook('onRoute', function (this: FastifyInstance, route: RouteOptions & { responseClass?: ResponseClass | false }) {
    // @fastify/cookie writes its cookies in an onSend hook; a route-level one runs after it.
    if (this.hasReplyDecorator('setCookie')) route.onSend = [...hookList(route.onSend), ownCookiesLast]
    const state = stateOf(this)
    const responseClass = route.responseClass ?? state.defaultResponseClass
    if (responseClass === undefined || responseClass === false) return
    if (!isResponseClass(responseClass)) {
      throw new FST_RESPONSES_INVALID_OPTION(`responseClass of ${route.method} ${route.url} must be a Response subclass or false`)
    }
    route.handler = wrapHandler(route.handler, responseClass, route.responseClass === undefined, state)
    documented.push([route, responseClass])
  })

  // Fastify compiled the route schemas before onReady, from the schema object the route had
  // then: a new schema set on the route options now reaches @fastify/swagger, which reads them
  // when it builds the document, and never Fastify's serializers.
  app.addHook('onReady', (hookDone) => {
    for (const [route, responseClass] of documented) route.schema = documentResponseClass(route.schema, responseClass)
    documented.length = 0
    hookDone()
  })

  // A returned instance, or one given to `reply.send`, reaches serialization as an object: it is
  // sent from here instead, through the same adapter as the decorators (this payload is dropped).
  app.addHook('preSerialization', (_request, reply, payload, hookDone) => {
    if (!(payload instanceof Response)) {
      hookDone(null, payload)
      return
    }
    // Fastify typed the object as JSON before this hook; the response sets its own type.
    if (reply.getHeader('content-type') === 'application/json; charset=utf-8') reply.removeHeader('content-type')
    sendResponse(reply, payload, stateOf(reply.server))
  })

  app.addHook('onError', (_request, reply, _error, hookDone) => {
    const pending = (reply as ReplyWithTasks)[kPendingTasks]
    if (pending !== undefined) pending.cancelled = true
    hookDone()
  })

  app.addHook('onClose', async (instance) => {
    const { running, closeTimeout, fileCaches } = stateOf(instance)
    fileCaches.clear()
    await waitForTasks(running, closeTimeout, instance.log)
  })
}

/**
 * Registered in a context, the plugin's options apply to the routes declared there and in its
 * descendants; a descendant may register it again with its own options (the others inherited).
 * Twice in one context is a registration error.
 */
const plugin: FastifyPluginCallback<FastifyResponsesOptions> = function fastifyResponses (app, options, done) {
  const withState = app as WithState
  // avvio does not catch what a callback plugin throws: errors go through done().
  if (Object.prototype.hasOwnProperty.call(withState, kState)) {
    done(new FST_RESPONSES_ALREADY_REGISTERED())
    return
  }
  const parent = withState[kState]
  try {
    withState[kState] = createState(options, parent)
  } catch (err) {
    done(err as Error)
    return
  }
  if (parent === undefined) install(app)
  done()
}

export const fastifyResponses = fp(plugin, { name: 'fastify-responses', fastify: '5.x' })
