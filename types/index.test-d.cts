// Type tests as a CommonJS project reads the package: `require()` gives the plugin with every
// export on it. Compiled with index.test-d.mts; lines marked @ts-expect-error must not compile.
import Fastify = require('fastify')
import fastifyResponses = require('fastify-responses')

const app = Fastify()
app.register(fastifyResponses, { closeTimeout: 1000, file: { maxAge: 60, immutable: true } })
app.register(fastifyResponses.fastifyResponses, { defaultResponseClass: fastifyResponses.JSONResponse })
app.register(fastifyResponses.default)
// @ts-expect-error unknown option
app.register(fastifyResponses, { nope: true })

interface Item { id: number }
app.get<{ Reply: Item }>('/typed', async () => new fastifyResponses.JSONResponse({ id: 1 }))
app.get<{ Reply: Item }>('/typed-redirect', () => new fastifyResponses.RedirectResponse('/there', { statusCode: 303 }))
app.get<{ Reply: Item }>('/typed-reply', async (_request, reply) => reply.jsonResponse({ id: 1 }))
// @ts-expect-error a plain value is checked against the reply type
app.get<{ Reply: Item }>('/typed-wrong', async () => ({ wrong: 1 }))
app.get<{ Reply: Item }>('/typed-reply-wrong', async (_request, reply) => {
  // @ts-expect-error the content is the route's reply type
  return reply.jsonResponse({ wrong: 1 })
})

// @ts-expect-error a redirect's status is 3xx
new fastifyResponses.RedirectResponse('/x', { statusCode: 200 })
// @ts-expect-error a string is content, not a stream
new fastifyResponses.StreamingResponse('text')
// @ts-expect-error StreamingResponse streams strings and bytes
new fastifyResponses.StreamingResponse([{ a: 1 }])
new fastifyResponses.JSONLinesResponse([{ a: 1 }])
// @ts-expect-error data and rawData are exclusive
new fastifyResponses.ServerSentEvent({ data: 1, rawData: 'x' })
// @ts-expect-error cacheControl excludes maxAge
new fastifyResponses.FileResponse('a.txt', { cacheControl: 'no-store', maxAge: 60 })
new fastifyResponses.FileResponse('a.txt', { cache: { maxBytes: 1e6, maxFileSize: 1e5, revalidate: 1000 } })
new fastifyResponses.FileResponse('a.txt', { cache: true })
// @ts-expect-error the cache's limits are numbers
new fastifyResponses.FileResponse('a.txt', { cache: { revalidate: '1s' } })
app.get('/refused', async (_request, reply) => {
  // @ts-expect-error HTML is text or bytes
  reply.htmlResponse({ a: 1 })
  return reply.htmlResponse('<p>x</p>')
})

const chunk: fastifyResponses.Chunk = 'x'
const dotfiles: fastifyResponses.Dotfiles = 'ignore'
const sameSite: fastifyResponses.SameSite = 'strict'
const headers: fastifyResponses.HeadersInit = { 'x-a': ['b', 1] }
const options: fastifyResponses.FileOptions = { cacheControl: 'no-store', dotfiles }
const redirect: fastifyResponses.RedirectStatusCode = 308
const render = (content: unknown, serializers: fastifyResponses.SerializerRegistry): string | Uint8Array => serializers.get('application/json')(content)
const handler: fastifyResponses.ResponseRouteHandler = async () => new fastifyResponses.HTMLResponse('<p>x</p>', { headers })
app.get('/handler', handler)

export = { chunk, sameSite, options, redirect, render }
