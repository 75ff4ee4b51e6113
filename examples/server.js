'use strict'
// The demo: one route per response class on http://127.0.0.1:3000 (`npm start`).
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')
const {
  HTMLResponse, PlainTextResponse, JSONResponse, ORJSONResponse, UJSONResponse, RedirectResponse,
  StreamingResponse, JSONLinesResponse, FileResponse, ServerSentEvent
} = fastifyResponses

const links = [
  ['/text', 'PlainTextResponse'],
  ['/json', 'JSONResponse (reply.jsonResponse)'],
  ['/orjson', 'ORJSONResponse: Map, Set, BigInt, Date'],
  ['/ujson', 'UJSONResponse: escaped slashes'],
  ['/redirect', 'RedirectResponse (307 to /)'],
  ['/stream', 'StreamingResponse: a line every 200 ms'],
  ['/jsonl', 'JSONLinesResponse'],
  ['/events', 'EventSourceResponse, read by the page below'],
  ['/file', 'FileResponse: this demo\'s source, try a Range header'],
  ['/download', 'FileResponse with a download name'],
  ['/cookie', 'setCookie and a background task (see the log)']
]

const page = `<!doctype html>
<title>fastify-responses</title>
<h1>fastify-responses</h1>
<ul>${links.map(([href, label]) => `<li><a href="${href}">${label}</a></li>`).join('')}</ul>
<h2>Server-sent events</h2>
<ol id="events"></ol>
<script>
  const list = document.getElementById('events')
  const source = new EventSource('/events')
  source.addEventListener('tick', (event) => {
    const item = document.createElement('li')
    item.textContent = event.data
    list.append(item)
  })
</script>`

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function main () {
  const app = Fastify({ logger: true })
  await app.register(fastifyResponses)

  app.get('/', () => new HTMLResponse(page))
  app.get('/text', () => new PlainTextResponse('Hello, world'))
  app.get('/json', (request, reply) => reply.jsonResponse({ hello: 'world' }))
  app.get('/orjson', () => new ORJSONResponse({
    when: new Date(0), big: 2n ** 64n, tags: new Set(['a', 'b']), counts: new Map([[1, 'one']])
  }))
  app.get('/ujson', () => new UJSONResponse({ url: 'https://example.com/a/b' }))
  app.get('/redirect', { responseClass: RedirectResponse }, () => '/')
  app.get('/stream', () => new StreamingResponse(async function * (signal) {
    for (let i = 1; i <= 10 && !signal.aborted; i++) {
      yield `line ${i}\n`
      await sleep(200)
    }
  }, { mediaType: 'text/plain' }))
  app.get('/jsonl', () => new JSONLinesResponse([{ id: 1 }, { id: 2 }, { id: 3 }]))
  app.get('/events', (request, reply) => reply.eventSourceResponse(async function * (signal) {
    for (let i = 1; !signal.aborted; i++) {
      yield new ServerSentEvent({ event: 'tick', id: i, data: { tick: i, at: new Date().toISOString() } })
      await sleep(1000)
    }
  }))
  app.get('/file', { responseClass: FileResponse }, () => __filename)
  app.get('/download', (request, reply) => reply.fileResponse(__filename, { filename: 'démo server.js' }))
  app.get('/cookie', (request, reply) => {
    reply.backgroundTasks.addTask((log) => log.info('background task ran after the response'), request.log)
    return new JSONResponse({ set: true }).setCookie('demo', 'yes', { httpOnly: true })
  })

  await app.listen({ port: 3000, host: '127.0.0.1' })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
