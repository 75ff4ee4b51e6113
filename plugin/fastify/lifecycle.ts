// When a Fastify reply's response is over, and how one that failed midway ends, for HTTP/1.1's
// ServerResponse and HTTP/2's compatibility response alike.
import type { FastifyReply } from 'fastify'

/** HTTP/1.1's ServerResponse, or HTTP/2's compatibility response. */
export type RawReply = FastifyReply['raw']

interface StreamState {
  closed: boolean
  destroyed: boolean
}

/** HTTP/2's stream behind a compatibility response; undefined for HTTP/1.1. */
function http2Stream (raw: RawReply): StreamState | undefined {
  return (raw as { stream?: StreamState }).stream
}

/** Whether the response is over: HTTP/1.1's ServerResponse has `closed`, HTTP/2's compatibility response its stream's. */
export function responseClosed (raw: RawReply): boolean {
  const stream = http2Stream(raw)
  return stream === undefined ? (raw as { closed?: boolean }).closed === true : stream.closed || stream.destroyed
}

/** Calls `fn` once the response is over: now (on the next turn) if it already is. */
export function onResponseClose (raw: RawReply, fn: () => void): void {
  if (responseClosed(raw)) setImmediate(fn)
  else raw.once('close', fn)
}

/** An AbortSignal that aborts once the response is over: already aborted if it is. */
export function responseSignal (raw: RawReply): AbortSignal {
  const controller = new AbortController()
  if (responseClosed(raw)) controller.abort()
  else raw.once('close', () => { controller.abort() })
  return controller.signal
}

/**
 * Ends a response whose body failed after its headers were sent so the client can tell it from
 * a complete one. HTTP/1.1 needs nothing more: Fastify destroys the socket, and the chunked body
 * never ends. HTTP/2's stream is reset with INTERNAL_ERROR (destroyed with the error): Fastify's
 * plain destroy would reset it with NO_ERROR, which clients take for the end of the body.
 */
export function abortResponse (raw: RawReply, err: Error): void {
  if (http2Stream(raw) !== undefined && raw.headersSent) raw.destroy(err)
}
