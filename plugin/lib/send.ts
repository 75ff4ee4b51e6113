// Handing a response to Fastify: always through `reply.send`, so onSend/onResponse hooks run
// and headers other plugins set on the reply are kept (the response's own win).
import type { FastifyReply } from 'fastify'
import { Readable } from 'node:stream'
import { emptyBody, type ResponseContext, type ResponsePayload } from './context.js'
import { toBackgroundTask } from './background.js'
import { PendingTasks } from './tasks.js'
import { kRespond, type Response, statusAllowsBody } from '../responses/response.js'

export const kPendingTasks = Symbol('fastify-responses.pendingTasks')

export interface ReplyWithTasks extends FastifyReply {
  // Not a reply decorator: a decorated property is assigned in every reply's constructor, and
  // only replies with tasks need it.
  [kPendingTasks]?: PendingTasks
}

export interface AppState extends ResponseContext {
  running: Set<Promise<void>>
}

export function pendingTasks (reply: FastifyReply, state: AppState): PendingTasks {
  const withTasks = reply as ReplyWithTasks
  withTasks[kPendingTasks] ??= new PendingTasks(reply.raw, reply.log, state.running)
  return withTasks[kPendingTasks]
}

// Fastify's serializer runs only on string payloads here: it keeps Fastify from adding
// `text/plain` or a JSON charset the response did not ask for.
const sendAsIs = ((payload: unknown) => payload) as (payload: unknown) => string

function isPromise<T> (value: T | Promise<T>): value is Promise<T> {
  // Strings, the usual payload, leave at the first test.
  return typeof value === 'object' && value !== null && typeof (value as Promise<T>).then === 'function'
}

/** Buffers as Fastify needs them in every path (typed arrays only pass through `reply.send`). */
function toSendable (payload: ResponsePayload): ResponsePayload {
  return payload instanceof Uint8Array && !Buffer.isBuffer(payload)
    ? Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
    : payload
}

function scheduleBackground (reply: FastifyReply, response: Response, state: AppState, payload: ResponsePayload): void {
  const task = toBackgroundTask(response.background)
  if (task !== undefined) pendingTasks(reply, state).response = task
  // A stream that fails midway truncates the response: it did not end, so its tasks do not run.
  if (payload instanceof Readable) {
    payload.once('error', () => { pendingTasks(reply, state).cancelled = true })
  }
}

/** How a prepared payload reaches Fastify, and where an error goes instead; `T` is what the path carries along. */
interface Delivery<T> {
  deliver: (reply: FastifyReply, payload: ResponsePayload, carried: T) => void
  fail: (reply: FastifyReply, err: Error, carried: T) => void
}

/**
 * Runs the response's `[kRespond]` (which sets status and headers only once nothing can fail)
 * and delivers the payload; an error goes to `fail` instead. No closure is made when the payload
 * is ready at once, the usual case: this runs for every response.
 */
function prepareResponse<T> (reply: FastifyReply, response: Response, state: AppState, delivery: Delivery<T>, carried: T): void {
  let payload: ResponsePayload | Promise<ResponsePayload>
  try {
    payload = response[kRespond](reply, state)
  } catch (err) {
    delivery.fail(reply, err as Error, carried)
    return
  }
  if (isPromise(payload)) {
    payload.then((value) => { deliverReady(reply, response, state, delivery, carried, value) }, (err) => { delivery.fail(reply, err, carried) })
  } else {
    deliverReady(reply, response, state, delivery, carried, payload)
  }
}

function deliverReady<T> (reply: FastifyReply, response: Response, state: AppState, delivery: Delivery<T>, carried: T, payload: ResponsePayload): void {
  scheduleBackground(reply, response, state, payload)
  delivery.deliver(reply, toSendable(payload), carried)
}

const throughSend: Delivery<undefined> = {
  deliver (reply, payload) {
    reply.serializer(sendAsIs)
    reply.send(payload ?? emptyPayload(reply))
    // A string payload used the serializer synchronously; an error handler that runs later
    // must get Fastify's own serialization back.
    reply.serializer(null as unknown as typeof sendAsIs)
  },
  fail (reply, err) {
    reply.send(err)
  }
}

export function sendResponse (reply: FastifyReply, response: Response, state: AppState): FastifyReply {
  prepareResponse(reply, response, state, throughSend, undefined)
  return reply
}

/** The types Fastify gives a payload passed to `reply.send` with none; a hook's payload gets none. */
function fastifyDefaultType (payload: ResponsePayload): string | undefined {
  if (typeof payload === 'string') return 'text/plain; charset=utf-8'
  if (payload instanceof Uint8Array) return 'application/octet-stream'
  return undefined
}

type HookDone = (err: Error | null, payload?: unknown) => void

/**
 * The preSerialization fallback. Fastify serializes what the hook returns: the serializer passes
 * it through once, then gives Fastify's serialization back to whatever is sent later (an error).
 */
const throughHook: Delivery<HookDone> = {
  deliver (reply, payload, done) {
    const type = reply.hasHeader('content-type') ? undefined : fastifyDefaultType(payload)
    if (type !== undefined) reply.header('content-type', type)
    reply.serializer((serialized: unknown) => {
      reply.serializer(null as unknown as typeof sendAsIs)
      return serialized as string
    })
    done(null, payload ?? emptyPayloadFromHook(reply))
  },
  fail (_reply, err, done) {
    done(err)
  }
}

export function sendResponseFromHook (reply: FastifyReply, response: Response, state: AppState, done: HookDone): void {
  prepareResponse(reply, response, state, throughHook, done)
}

/**
 * "No body" for Fastify's HEAD route, which adds content-length 0 to an empty payload: a 204 or
 * 304 must not have one (its GET has none), and an empty stream makes it add none.
 */
function emptyPayload (reply: FastifyReply): ResponsePayload {
  return reply.request.method === 'HEAD' && !statusAllowsBody(reply.statusCode) ? emptyBody() : undefined
}

/** From a hook, `undefined` would keep the instance as the payload, and the HEAD route fails on null. */
function emptyPayloadFromHook (reply: FastifyReply): unknown {
  return emptyPayload(reply) ?? (reply.request.method === 'HEAD' ? '' : null)
}
