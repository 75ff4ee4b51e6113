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
const file = new FileResponse('a.txt', { etag: (stats) => `"${stats.size}"`, maxAge: 60, immutable: true, chunkSize: 1 << 16 })
const filePath: string = file.path
const defaults: FileOptions = { conditional: false, acceptRanges: false }
// @ts-expect-error the path is a string
new FileResponse(42)
// @ts-expect-error etag is a boolean, 'weak' or a function
new FileResponse('a.txt', { etag: 'strong' })
export { status, body, code, ping, filePath, defaults }
