// Status codes: which a response may have, and which may carry a body.
import { FST_RESPONSES_INVALID_STATUS } from '../errors.js'

/**
 * `statusCode` when it is an integer in [min, max]; the class is named only in the error. A 1xx
 * is interim, never a final response (a client would wait for one after it): Early Hints are
 * Fastify's `reply.writeEarlyHints`.
 */
export function checkStatusCode (statusCode: unknown, responseClass: { name: string }, min = 200, max = 599): number {
  if (!Number.isInteger(statusCode) || (statusCode as number) < min || (statusCode as number) > max) {
    throw new FST_RESPONSES_INVALID_STATUS(responseClass.name, String(statusCode))
  }
  return statusCode as number
}

/** HTTP's rule: informational, 204 and 304 responses carry no body and no content-length. */
export function statusAllowsBody (statusCode: number): boolean {
  return statusCode >= 200 && statusCode !== 204 && statusCode !== 304
}
