// The one place a response meets a Fastify reply: it builds the exchange a response reads,
// asks the response for its result, and applies that result through `reply.send`, so onSend and
// onResponse hooks run and headers other plugins set on the reply are kept (the response's own win).
import type { FastifyReply, onSendHookHandler } from 'fastify'
import type { IncomingHttpHeaders } from 'node:http'
import { Readable } from 'node:stream'
import { emptyBody, type Exchange, type Logger, type ResponseBody, type ResponseContext, type ResponseResult } from '../lib/context.js'
import { toBackgroundTask } from '../lib/background.js'
import type { SchemaSerializer } from '../json/schema.js'
import { isPromise } from '../lib/promise.js'
import { forStatus, jsonEntry } from '../json/route-schema.js'
import { hasLatin1 } from '../http/headers.js'
import { statusAllowsBody } from '../http/status.js'
import { kRespond, type Response } from '../responses/response.js'
import { abortResponse, onResponseClose, responseSignal } from './lifecycle.js'
import { PendingTasks } from './tasks.js'

// Fastify's type for a string body sent without one.
const TEXT_TYPE = 'text/plain; charset=utf-8'

export const kPendingTasks = Symbol('fastify-responses.pendingTasks')
const kOwnCookies = Symbol('fastify-responses.ownCookies')

export interface ReplyWithTasks extends FastifyReply {
  // Not a reply decorator: a decorated property is assigned in every reply's constructor, and
  // only replies with tasks need it.
  [kPendingTasks]?: PendingTasks
}

interface ReplyWithCookies extends FastifyReply {
  /** The response's set-cookie lines (not a decorator either: few responses set cookies). */
  [kOwnCookies]?: string[]
}

/** The settings of the context a reply's route was declared in. */
export interface AppState extends ResponseContext {
  /** Background tasks still running, app-wide: `app.close()` waits for them. */
  running: Set<Promise<void>>
}

export function pendingTasks (reply: FastifyReply, state: AppState): PendingTasks {
  const withTasks = reply as ReplyWithTasks
  withTasks[kPendingTasks] ??= new PendingTasks(reply.raw, reply.log, state.running)
  return withTasks[kPendingTasks]
}

type CompiledResponses = SchemaSerializer | Record<string, SchemaSerializer>

const compiledForKey = (reply: FastifyReply, key: string): CompiledResponses | undefined => reply.getSerializationFunction(key) as CompiledResponses | undefined

/** The serializer Fastify compiled from the route's response schema for a status, if any. */
function routeSerializer (reply: FastifyReply, statusCode: number): SchemaSerializer | undefined {
  const compiled = forStatus(statusCode, reply, compiledForKey)
  return typeof compiled === 'object' ? jsonEntry(compiled) : compiled
}

/** The exchange of one reply; what a response does not read costs nothing (the signal is made on first use). */
class ReplyExchange implements Exchange {
  readonly #reply: FastifyReply
  readonly app: ResponseContext
  #signal: AbortSignal | undefined = undefined

  constructor (reply: FastifyReply, app: ResponseContext) {
    this.#reply = reply
    this.app = app
  }

  get method (): string {
    return this.#reply.request.method
  }

  get headers (): IncomingHttpHeaders {
    return this.#reply.request.headers
  }

  get origin (): string {
    const request = this.#reply.request
    return `${request.protocol}://${request.host}`
  }

  get log (): Logger {
    return this.#reply.log
  }

  // Not `request.signal`: Node closes the request once its body is read, which would end a
  // stream that answers a POST before it started.
  get signal (): AbortSignal {
    this.#signal ??= responseSignal(this.#reply.raw)
    return this.#signal
  }

  routeSerializer (statusCode: number): SchemaSerializer | undefined {
    return routeSerializer(this.#reply, statusCode)
  }
}

/**
 * Sends `response` on `reply`. Its status and headers reach the reply only with a result: a
 * response that fails to prepare becomes Fastify's error response, none of its headers kept.
 * No closure is made when the result is ready at once, the usual case.
 */
export function sendResponse (reply: FastifyReply, response: Response, state: AppState): FastifyReply {
  let result: ResponseResult | Promise<ResponseResult>
  try {
    result = response[kRespond](new ReplyExchange(reply, state))
  } catch (err) {
    return reply.send(err)
  }
  if (isPromise(result)) {
    result.then((ready) => { applyResult(reply, response, state, ready) }, (err) => { reply.send(err) })
  } else {
    applyResult(reply, response, state, result)
  }
  return reply
}

function applyResult (reply: FastifyReply, response: Response, state: AppState, result: ResponseResult): void {
  reply.code(result.statusCode)
  if (result.headers !== undefined) {
    reply.headers(result.headers)
    const cookies = result.headers['set-cookie']
    // A copy: Fastify before 5.12.6 keeps the array it was given as the reply's own and appends
    // later cookies to it.
    if (cookies !== undefined) (reply as ReplyWithCookies)[kOwnCookies] = ([] as string[]).concat(cookies)
  }
  if (result.identity === true) keepUncompressed(reply)
  const task = toBackgroundTask(response.background)
  if (task !== undefined) pendingTasks(reply, state).response = task
  const body = result.body
  if (body instanceof Readable) {
    // A stream that fails midway truncates the response: it did not end, so its tasks do not run.
    body.once('error', (err) => {
      pendingTasks(reply, state).cancelled = true
      abortResponse(reply.raw, err)
    })
    // However the response ends (sent, the client gone, an onSend hook that failed or replaced
    // the payload), the stream is destroyed: its source is finalised, its descriptor closed.
    onResponseClose(reply.raw, () => { body.destroy() })
    // Node announces `content-length: 0` for a body that ends before its first write: a stream's
    // length is unknown when its headers go out, so it gets none (chunked over HTTP/1.1), even
    // when it turns out empty, unless the response gives one. A head already written by hand
    // is as it is (Fastify warns about it).
    if (result.headers?.['content-length'] === undefined && !reply.raw.headersSent) reply.raw.removeHeader('content-length')
  }
  reply.send(sendable(reply, result))
}

/** The body as `reply.send` leaves it alone and Node sends it with the headers as they are. */
function sendable (reply: FastifyReply, result: ResponseResult): ResponseBody {
  const body = result.body
  if (typeof body === 'string') {
    // Node writes the header block in the encoding of a string body sent with it, so Latin-1
    // header values would go as UTF-8: with the body as bytes they go as Latin-1, as with any
    // other body. The text keeps the type Fastify gives text.
    if (result.headers !== undefined && hasLatin1(result.headers)) {
      if (reply.getHeader('content-type') === undefined) reply.type(TEXT_TYPE)
      return Buffer.from(body)
    }
    // Otherwise a string goes as it is (written with the headers in one go, which a Buffer is
    // not: faster on small bodies); without a serializer of its own, Fastify would add
    // `charset=utf-8` to a JSON type.
    reply.serializer(keepStrings)
    return body
  }
  return body === undefined ? noBody(reply) : body
}

/**
 * This reply's serializer once a string body was handed over. What is sent later on the same
 * reply (an error handler's object, after a failed onSend hook) is serialized as Fastify would:
 * by the route's schema for the status, else as JSON, typed as JSON when nothing typed it.
 */
function keepStrings (this: FastifyReply, payload: unknown): string {
  if (typeof payload === 'string') return payload
  if (!this.hasHeader('content-type')) this.header('content-type', 'application/json; charset=utf-8')
  return (routeSerializer(this, this.statusCode) ?? JSON.stringify)(payload)
}

/**
 * "No body" is `undefined`, except on HEAD for a status without a body, where Fastify's HEAD
 * route would add the `content-length: 0` that GET lacks.
 */
function noBody (reply: FastifyReply): ResponseBody {
  return reply.request.method === 'HEAD' && !statusAllowsBody(reply.statusCode) ? emptyBody() : undefined
}

/**
 * @fastify/compress (its `reply.compress` decorator is set on the routes it serves) compresses
 * a body on the fly unless the request carries `x-no-compression`, its one switch for a single
 * response. It is added with Fastify's `request.headers` setter: `request.raw.headers` stay as
 * the client sent them, and a value the client sent is kept.
 */
function keepUncompressed (reply: FastifyReply): void {
  if (typeof (reply as { compress?: unknown }).compress !== 'function') return
  reply.request.headers = { 'x-no-compression': 'identity', ...reply.request.headers }
}

/**
 * A route-level onSend hook where @fastify/cookie is registered: its own onSend hook appends its
 * cookies after the response's, and of two cookies with one name, domain and path a browser
 * keeps the last. The response's lines are moved after the others, so the response's own win.
 */
export const ownCookiesLast: onSendHookHandler = function ownCookiesLast (_request, reply, payload, done) {
  const own = (reply as ReplyWithCookies)[kOwnCookies]
  const lines = reply.getHeader('set-cookie')
  if (own !== undefined && Array.isArray(lines)) {
    const isOwn = (line: string): boolean => own.includes(line)
    reply.removeHeader('set-cookie')
    reply.header('set-cookie', [...lines.filter((line) => !isOwn(line)), ...lines.filter(isOwn)])
  }
  done(null, payload)
}
