// Type tests: this file must compile (`npm run test:types`); lines marked @ts-expect-error must not.
import Fastify from 'fastify'
import fastifyResponses, { HTMLResponse, JSONResponse, RedirectResponse, Response, BackgroundTasks, errors } from 'fastify-responses'

const app = Fastify()
await app.register(fastifyResponses, { redirect: { allowedOrigins: ['https://example.com'] } })
// @ts-expect-error unknown option
await app.register(fastifyResponses, { nope: true })

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
app.get('/r', async (_request, reply) => reply.redirectResponse('/there', { statusCode: 308 }))
app.get('/j', async (_request, reply) => {
  const tasks: BackgroundTasks = reply.backgroundTasks
  tasks.addTask((n: number) => n * 2, 21)
  // @ts-expect-error the task's arguments are checked against its parameters
  tasks.addTask((n: number) => n * 2, 'x')
  return reply.jsonResponse({ ok: true })
})
app.get('/i', () => new Response('x', { statusCode: 201, headers: { 'x-a': 'b' }, mediaType: 'text/plain' }).setCookie('a', 'b', { sameSite: 'strict' }))

const json = new JSONResponse({ a: 1 })
const status: number = json.statusCode
const body: Buffer = json.body
new RedirectResponse(new URL('https://example.com'))
// @ts-expect-error sameSite is one of lax, strict, none
new Response().setCookie('a', 'b', { sameSite: 'sometimes' })
const code: 'FST_RESPONSES_INVALID_STATUS' = new errors.FST_RESPONSES_INVALID_STATUS('Response', '42').code
export { status, body, code }
