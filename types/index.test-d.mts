// Type tests: this file must compile (`npm run test:types`); lines marked @ts-expect-error must not.
import Fastify from 'fastify'
import fastifyResponses, { HTMLResponse, JSONResponse, RedirectResponse, Response, BackgroundTasks, errors } from 'fastify-responses'

const app = Fastify()
await app.register(fastifyResponses, { redirect: { allowedOrigins: ['https://example.com'] } })
// @ts-expect-error unknown option
await app.register(fastifyResponses, { nope: true })

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
new Response().setCookie('a', 'b', { sameSite: null, path: null, expires: 60, priority: 'high' }).deleteCookie('old', { domain: 'example.com' })
// @ts-expect-error deleteCookie takes no maxAge
new Response().deleteCookie('old', { maxAge: 1 })
app.get('/send', async (_request, reply) => reply.sendResponse(new HTMLResponse('<p>x</p>', { background: () => {} })))
const code: 'FST_RESPONSES_INVALID_STATUS' = new errors.FST_RESPONSES_INVALID_STATUS('Response', '42').code
export { status, body, code }
