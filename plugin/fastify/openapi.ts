// What a route's response class says in its OpenAPI document, as FastAPI documents
// `response_class`: the status the class sends by default, with its media type and the shape of
// its body, or for a redirect its Location header and no content. The entry takes the shape
// @fastify/swagger reads from a route's `schema.response` (OpenAPI 3's `content` per media type,
// `type: 'null'` for no content); plugin.ts adds it once Fastify has compiled the route's
// serializers, so it documents the route and never serializes anything.
import type { FastifySchema } from 'fastify'
import { STATUS_CODES } from 'node:http'
import { forStatus } from '../json/route-schema.js'
import { FileResponse } from '../responses/file.js'
import { JSONResponse } from '../responses/json.js'
import { REDIRECT_STATUS, RedirectResponse } from '../responses/redirect.js'

/** A response class as documented: its prototype chain and its static media type. */
type DocumentedClass = Function & { mediaType?: string | undefined }

function isKind (responseClass: DocumentedClass, base: Function): boolean {
  return responseClass === base || responseClass.prototype instanceof base
}

/** The `content` a class's responses are documented with: their media type and a schema of the body. */
function contentOf (responseClass: DocumentedClass): Record<string, { schema: object }> {
  // A file's type is guessed per file; a body of no declared type is bytes (RFC 9110 §8.3).
  if (responseClass.mediaType === undefined || isKind(responseClass, FileResponse)) {
    return { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } }
  }
  return { [responseClass.mediaType]: { schema: isKind(responseClass, JSONResponse) ? {} : { type: 'string' } } }
}

/** Whether the route's own responses have an entry Fastify would use for `statusCode` (keys in any case). */
function covers (responses: object, statusCode: number): boolean {
  const keys = new Set(Object.keys(responses).map((key) => key.toLowerCase()))
  return forStatus(statusCode, keys, (present, key) => present.has(key) || undefined) === true
}

/**
 * The route's schema with its class's response added, or the schema as it is when the route
 * documents that status itself: a route's own `schema.response` wins.
 */
export function documentResponseClass (schema: FastifySchema | undefined, responseClass: DocumentedClass): FastifySchema | undefined {
  const redirect = isKind(responseClass, RedirectResponse)
  const statusCode = redirect ? REDIRECT_STATUS : 200
  const own = schema?.response as object | undefined
  if (own !== undefined && covers(own, statusCode)) return schema
  const entry = redirect
    ? { type: 'null', description: STATUS_CODES[statusCode], headers: { Location: { type: 'string', description: 'The URL the client is redirected to' } } }
    : { content: contentOf(responseClass) }
  return { ...schema, response: { ...own, [statusCode]: entry } }
}
