// Type tests: this file must compile (`npm run test:types`); lines marked @ts-expect-error must not.
import Fastify from 'fastify'
import fastifyResponses, { HTMLResponse, JSONResponse, RedirectResponse, Response, BackgroundTasks, FileResponse, errors } from 'fastify-responses'
import type { FileOptions } from 'fastify-responses'
import { StreamingResponse, JSONLinesResponse, EventSourceResponse, ServerSentEvent } from 'fastify-responses'
import { statSync } from 'node:fs'
import { Readable } from 'node:stream'

const app = Fastify()
await app.register(fastifyResponses, { redirect: { allowedOrigins: ['https://example.com'] } })
await app.register(fastifyResponses, { redirect: { origins: ['https://app.example.com'], allowedOrigins: ['https://example.com'] } })
// @ts-expect-error origins is a list
await app.register(fastifyResponses, { redirect: { origins: 'https://app.example.com' } })
// @ts-expect-error unknown option
await app.register(fastifyResponses, { nope: true })
await app.register(fastifyResponses, { closeTimeout: 1000 })
// @ts-expect-error closeTimeout is a number of milliseconds
await app.register(fastifyResponses, { closeTimeout: '1s' })

// Serializers
import { ORJSONResponse, UJSONResponse } from 'fastify-responses'
app.get('/o', async (_request, reply) => reply.orjsonResponse(new Map([[1, 'a']]), { schema: { type: 'object' } }))
app.get('/u', async (_request, reply) => reply.ujsonResponse({ a: '/' }, { ensureAscii: true, indent: 2, sortKeys: true }))
await app.register(fastifyResponses, { defaultResponseClass: ORJSONResponse, serializers: { 'application/x-msgpack': (content: unknown) => new Uint8Array([Number(content)]) } })
app.responses.registerSerializer('orjson', (content) => JSON.stringify(content))
new ORJSONResponse({}, { schema: { type: 'object' } }).schema satisfies object | undefined
// @ts-expect-error escapeForwardSlashes is a boolean
new UJSONResponse({}, { escapeForwardSlashes: 'no' })
// @ts-expect-error a serializer returns a string or bytes
app.responses.registerSerializer('text/csv', () => 42)

app.get('/', { responseClass: HTMLResponse }, async () => '<p>hi</p>')
app.get('/native', { responseClass: false }, async () => ({ opted: 'out' }))
// @ts-expect-error responseClass is a Response subclass or false
app.get('/bad-class', { responseClass: true }, async () => 'x')
app.get('/r', async (_request, reply) => reply.redirectResponse('/there', { statusCode: 308 }))
app.get('/j', async (_request, reply) => {
  const tasks: BackgroundTasks = reply.backgroundTasks
  tasks.addTask((n: number) => n * 2, 21)
  // @ts-expect-error the task's arguments are checked against its parameters
  tasks.addTask((n: number) => n * 2, 'x')
  return reply.jsonResponse({ ok: true })
})
app.get('/i', () => new Response('x', { statusCode: 201, headers: { 'x-a': 'b' }, mediaType: 'text/plain' }).setCookie('a', 'b', { sameSite: 'strict' }))

app.get('/stream', async (_request, reply) => reply.streamingResponse(async function * (signal: AbortSignal) {
  if (!signal.aborted) yield 'chunk'
}, { mediaType: 'text/plain' }))
app.get('/jsonl', { responseClass: JSONLinesResponse }, async () => [{ a: 1 }])
app.get('/sse', async (_request, reply) => reply.eventSourceResponse(async function * (_signal, lastEventId) {
  const resumeFrom: string | undefined = lastEventId
  yield new ServerSentEvent({ data: { resumeFrom }, event: 'update', id: 1, retry: 1000, comment: 'c' })
  yield { plain: 'value' }
}, { ping: 5000 }))
new StreamingResponse(Readable.from(['x']), { headers: { 'content-length': '1' } })
new StreamingResponse(new ReadableStream<Uint8Array>())
new JSONLinesResponse(new Set([1, 2]))
const ping: number = new EventSourceResponse([]).ping
// @ts-expect-error a number is not a source
new StreamingResponse(42)
// @ts-expect-error retry is a number of milliseconds
new ServerSentEvent({ retry: '10' })
// @ts-expect-error EventSourceResponse has its own media type
new EventSourceResponse([], { mediaType: 'text/plain' })

const json = new JSONResponse({ a: 1 })
const status: number = json.statusCode
const body: Buffer = json.body
new RedirectResponse(new URL('https://example.com'))
// @ts-expect-error sameSite is one of lax, strict, none
new Response().setCookie('a', 'b', { sameSite: 'sometimes' })
new Response().setCookie('a', 'b', { sameSite: null, path: null, expires: 60, priority: 'high' }).deleteCookie('old', { domain: 'example.com' })
// @ts-expect-error deleteCookie takes no maxAge
new Response().deleteCookie('old', { maxAge: 1 })
app.get('/send', async (_request, reply) => reply.sendResponse(new HTMLResponse('<p>x</p>', { background: () => {} })))
const code: 'FST_RESPONSES_INVALID_STATUS' = new errors.FST_RESPONSES_INVALID_STATUS('Response', '42').code

await app.register(fastifyResponses, { file: { root: '/srv/files', maxRanges: 10, etag: 'weak', dotfiles: 'deny' } })
// @ts-expect-error dotfiles is allow, deny or ignore
await app.register(fastifyResponses, { file: { dotfiles: 'sometimes' } })
app.get('/f', async (_request, reply) => reply.fileResponse('a.png', { filename: 'b.png', contentDispositionType: 'inline', stat: statSync('a.png', { bigint: true }) }))
app.get('/f2', { responseClass: FileResponse }, async () => 'a.png')
app.get('/to', { responseClass: RedirectResponse }, async () => '/there')
const file = new FileResponse('a.txt', { etag: (stats) => `"${stats.size}"`, maxAge: 60, immutable: true, chunkSize: 1 << 16 })
const filePath: string = file.path
const defaults: FileOptions = { conditional: false, acceptRanges: false }
// @ts-expect-error the path is a string
new FileResponse(42)
// @ts-expect-error etag is a boolean, 'weak' or a function
new FileResponse('a.txt', { etag: 'strong' })

// Typed routes: a response instance, or the reply the decorators return, whatever the reply type.
import type { FastifyReply, FastifyTypeProvider } from 'fastify'
import { PlainTextResponse } from 'fastify-responses'
import type { ResponseRouteHandler, RedirectStatusCode } from 'fastify-responses'

/** Whether two types are the same (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false

interface Item { id: number, name: string }
const item: Item = { id: 1, name: 'a' }

app.get<{ Reply: Item }>('/typed', async () => new JSONResponse(item))
app.get<{ Reply: Item }>('/typed-sync', () => new HTMLResponse('<p>x</p>'))
app.get<{ Reply: Item }>('/typed-value', async () => item)
app.get<{ Reply: Item }>('/typed-either', async () => item.id > 0 ? item : new PlainTextResponse('none', { statusCode: 404 }))
app.get<{ Reply: Item }>('/typed-options', { schema: {} }, async () => new RedirectResponse('/there'))
app.get<{ Reply: Item }>('/typed-handler', { handler: async () => new JSONResponse(item) })
app.post<{ Reply: Item }>('/typed-reply', async (_request, reply) => reply.jsonResponse(item))
app.route<{ Reply: Item }>({ method: 'GET', url: '/typed-route', handler: async () => new JSONResponse(item) })
app.route<{ Reply: Item }>({ method: ['GET', 'HEAD'], url: '/typed-route-reply', handler: (_request, reply) => reply.jsonResponse(item) })
// @ts-expect-error a plain value is still checked against the reply type
app.get<{ Reply: Item }>('/typed-wrong', async () => ({ wrong: 1 }))
// @ts-expect-error with options too
app.get<{ Reply: Item }>('/typed-options-wrong', { schema: {} }, async () => ({ wrong: 1 }))
// @ts-expect-error and in route()
app.route<{ Reply: Item }>({ method: 'GET', url: '/typed-route-wrong', handler: async () => ({ wrong: 1 }) })
const handler: ResponseRouteHandler = async () => new JSONResponse(item)
app.get('/handler', handler)

// The same from response schemas, through a type provider: this one reads a schema's `$type`,
// where @fastify/type-provider-typebox and -json-schema-to-ts compute a type from the schema.
interface PhantomTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends { $type?: infer T } ? T : unknown
  serializer: this['schema'] extends { $type?: infer T } ? T : unknown
}
const itemSchema: { type: 'object', $type?: Item } = { type: 'object' }
const emptySchema: { type: 'null', $type?: null } = { type: 'null' }
const typed = app.withTypeProvider<PhantomTypeProvider>()
typed.get('/schema', { schema: { response: { 200: itemSchema } } }, async () => new JSONResponse(item))
typed.get('/schema-value', { schema: { response: { 200: itemSchema } } }, async () => item)
typed.get('/schema-redirect', { schema: { response: { 307: emptySchema } } }, () => new RedirectResponse('/there'))
typed.get('/schema-reply', { schema: { response: { 200: itemSchema } } }, async (_request, reply) => reply.orjsonResponse(item))
typed.route({ method: 'GET', url: '/schema-route', schema: { response: { 200: itemSchema } }, handler: async () => new JSONResponse(item) })
// @ts-expect-error a plain value is checked against the schema's type
typed.get('/schema-wrong', { schema: { response: { 200: itemSchema } } }, async () => ({ wrong: 1 }))
typed.get('/schema-reply-wrong', { schema: { response: { 200: itemSchema } } }, async (_request, reply) => {
  // @ts-expect-error the JSON decorators' content is the schema's type
  return reply.jsonResponse({ wrong: 1 })
})

// The JSON decorators take what reply.send takes; every decorator returns the reply as it was typed.
app.get<{ Reply: Item }>('/decorators', async (_request, reply) => {
  // @ts-expect-error the content is the route's reply type
  reply.jsonResponse({ wrong: 1 })
  // @ts-expect-error
  reply.orjsonResponse({ wrong: 1 })
  // @ts-expect-error
  reply.ujsonResponse({ wrong: 1 }, { indent: 2 })
  const sent = reply.jsonResponse(item)
  // @ts-expect-error the route's generics are kept: send is still typed
  sent.send({ wrong: 1 })
  const kept = [
    true satisfies Equal<typeof sent, typeof reply>,
    true satisfies Equal<ReturnType<typeof reply.response>, typeof reply>,
    true satisfies Equal<ReturnType<typeof reply.htmlResponse>, typeof reply>,
    true satisfies Equal<ReturnType<typeof reply.plainTextResponse>, typeof reply>,
    true satisfies Equal<ReturnType<typeof reply.orjsonResponse>, typeof reply>,
    true satisfies Equal<ReturnType<typeof reply.ujsonResponse>, typeof reply>,
    true satisfies Equal<ReturnType<typeof reply.redirectResponse>, typeof reply>,
    true satisfies Equal<ReturnType<typeof reply.streamingResponse>, typeof reply>,
    true satisfies Equal<ReturnType<typeof reply.jsonLinesResponse>, typeof reply>,
    true satisfies Equal<ReturnType<typeof reply.eventSourceResponse>, typeof reply>,
    true satisfies Equal<ReturnType<typeof reply.fileResponse>, typeof reply>,
    true satisfies Equal<ReturnType<typeof reply.sendResponse>, typeof reply>
  ]
  return kept.length > 0 ? sent : reply.sendResponse(new JSONResponse(item))
})
app.get<{ Reply: { 200: Item, 404: { error: string } } }>('/codes', async (_request, reply) => {
  if (item.id === 0) return reply.code(404).jsonResponse({ error: 'none' }, { statusCode: 404 })
  // @ts-expect-error after code(404), the 404 payload
  reply.code(404).jsonResponse(item)
  return reply.code(200).jsonResponse(item)
})
app.get('/untyped', async (_request, reply) => reply.jsonResponse(['any', 'value', 1]))
app.get('/untyped-reply', (_request, reply) => {
  const sent: FastifyReply = reply.htmlResponse('<p>x</p>')
  return sent
})

// What fails at run time is refused here.
app.get('/refused', async (_request, reply) => {
  // @ts-expect-error HTML is text or bytes
  reply.htmlResponse({ a: 1 })
  // @ts-expect-error plain text too
  reply.plainTextResponse({ a: 1 })
  // @ts-expect-error a string is content, not a stream
  reply.streamingResponse('text')
  // @ts-expect-error a redirect's status is 3xx
  reply.redirectResponse('/x', { statusCode: 200 })
  // @ts-expect-error cacheControl excludes maxAge
  reply.fileResponse('a.txt', { cacheControl: 'no-store', maxAge: 1 })
  reply.htmlResponse(Buffer.from('<p>x</p>'))
  reply.htmlResponse(null)
  return reply.plainTextResponse()
})
// @ts-expect-error a string is content, not a stream
new StreamingResponse('text')
// @ts-expect-error bytes are content
new StreamingResponse(Buffer.from('x'))
// @ts-expect-error for JSON lines too
new JSONLinesResponse('text')
// @ts-expect-error and events
new EventSourceResponse(new Uint8Array(1))
// @ts-expect-error StreamingResponse streams strings and bytes
new StreamingResponse([{ a: 1 }])
// @ts-expect-error from a generator function too
new StreamingResponse(async function * () { yield 1 })
new StreamingResponse(['a', Buffer.from('b'), new Uint8Array(1)])
new StreamingResponse(function * () { yield 'a' })
new JSONLinesResponse([{ a: 1 }, 2, 'three'])
new JSONLinesResponse(async function * () { yield { a: 1 } })
new EventSourceResponse([{ a: 1 }])
// @ts-expect-error data and rawData are exclusive
new ServerSentEvent({ data: { a: 1 }, rawData: 'x' })
new ServerSentEvent({ rawData: 'x', event: 'e' })
// An option given as undefined is not given (with exactOptionalPropertyTypes too).
new ServerSentEvent({ data: undefined, rawData: 'x' })
new ServerSentEvent({ data: null, comment: 'c' })
// @ts-expect-error cacheControl excludes maxAge
new FileResponse('a.txt', { cacheControl: 'no-store', maxAge: 60 })
// @ts-expect-error and immutable
new FileResponse('a.txt', { cacheControl: 'no-store', immutable: true })
// @ts-expect-error as an app-wide option too
await app.register(fastifyResponses, { file: { cacheControl: 'no-store', maxAge: 60 } })
new FileResponse('a.txt', { cacheControl: 'no-store', root: '/srv/files', filename: 'b.txt' })
new FileResponse('a.txt', { immutable: true })
new FileResponse('a.txt', { cacheControl: 'no-store', maxAge: undefined })
// @ts-expect-error a redirect's status is 3xx
new RedirectResponse('/x', { statusCode: 200 })
// @ts-expect-error not 4xx either
new RedirectResponse('/x', { statusCode: 404 })
new RedirectResponse('/x', { statusCode: 301 })
const seeOther: RedirectStatusCode = 303
// @ts-expect-error 300 to 399
const badRequest: RedirectStatusCode = 400

// Every type of a public signature, from the package entry.
import type { CacheControlOptions, Chunk, Dotfiles, FileStats, HeadersInit, HeaderValue, SameSite, SerializerRegistry, ServerSentEventInit, TextContent } from 'fastify-responses'
class CSVResponse extends Response {
  static override mediaType: string | undefined = 'text/csv'
  override render (content: unknown, serializers?: SerializerRegistry): string | Uint8Array {
    return Array.isArray(content) ? content.join(',') : super.render(content, serializers)
  }
}
const exported: {
  chunk: Chunk, dotfiles: Dotfiles, stats: FileStats, headers: HeadersInit, value: HeaderValue, sameSite: SameSite,
  text: TextContent, cache: CacheControlOptions, event: ServerSentEventInit
} = {
  chunk: new Uint8Array(1),
  dotfiles: 'deny',
  stats: statSync('a.txt'),
  headers: [['x-a', 1]],
  value: 'b',
  sameSite: 'lax',
  text: null,
  cache: { maxAge: 60 },
  event: { rawData: 'x' }
}
export { status, body, code, ping, filePath, defaults, seeOther, badRequest, exported, CSVResponse }
