'use strict'
// The demo app: one page (public/index.html) that calls every route below in place and shows
// what each response class sends. `buildDemo()` returns the Fastify instance unstarted, so
// server.js listens with it and the browser tests start it in-process (over HTTP/2 with TLS too).
const fs = require('node:fs')
const path = require('node:path')
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')
const {
  Response, HTMLResponse, PlainTextResponse, JSONResponse, ORJSONResponse, UJSONResponse, RedirectResponse,
  StreamingResponse, JSONLinesResponse, EventSourceResponse, FileResponse, ServerSentEvent
} = fastifyResponses

// public/test-pattern.webm, 12 s of VP9 (about 480 KiB: a seek ahead on a slow link needs a new
// Range request), was made with:
// ffmpeg -f lavfi -i testsrc2=size=480x270:rate=25:duration=12 -c:v libvpx-vp9 -b:v 400k -g 25 \
//   -deadline good -cpu-used 4 -row-mt 1 -pix_fmt yuv420p -an test-pattern.webm
const publicDir = path.join(__dirname, 'public')

/** The download's name: non-ASCII, sent as RFC 6266's `filename*` with an ASCII fallback. */
const downloadName = 'Crème brûlée – recette.txt'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// Plain JSON values for JSONResponse and UJSONResponse, shown side by side; ORJSONResponse gets
// the values that JSON.stringify refuses or flattens.
const plainValue = { url: 'https://example.com/docs/', html: '</script>', text: 'café ☕' }
const richValue = () => ({ when: new Date(0), big: 2n ** 64n, tags: new Set(['a', 'b']), counts: new Map([[1, 'one'], [2, 'two']]) })

const planets = [
  { name: 'Mercury', moons: 0 }, { name: 'Venus', moons: 0 }, { name: 'Earth', moons: 1 }, { name: 'Mars', moons: 2 },
  { name: 'Jupiter', moons: 95 }, { name: 'Saturn', moons: 146 }, { name: 'Uranus', moons: 28 }, { name: 'Neptune', moons: 16 }
]

const badge = `<svg xmlns="http://www.w3.org/2000/svg" width="168" height="28" viewBox="0 0 168 28">
<rect width="168" height="28" rx="6" fill="#1f6feb"/>
<text x="84" y="19" fill="#fff" font-family="sans-serif" font-size="13" text-anchor="middle">Response: image/svg+xml</text>
</svg>`

/** A made-up answer to a prompt, in word-sized tokens (each keeps its leading space). */
function answerTokens (prompt) {
  const answer = `You asked: “${prompt.trim() || '(nothing)'}”. This answer is sent as server-sent events, one token at a time, in reply to a POST.`
  return answer.match(/\s*\S+/g)
}

/**
 * @param {object} [options]
 * @param {boolean|object} [options.logger] Fastify's logger option (default false).
 * @param {boolean} [options.http2] Serves HTTP/2 (with `https`, over TLS).
 * @param {object} [options.https] TLS options: `{ key, cert }`, and `allowHTTP1` for HTTP/2.
 * @param {number} [options.eventsPerStream] Events the SSE feed sends before it ends a stream (default 5).
 * @param {number} [options.eventInterval] Milliseconds between two SSE feed events (default 1000).
 * @param {number} [options.reconnectDelay] The SSE `retry` the feed asks clients to wait before reconnecting (default 500).
 * @param {number} [options.tokenDelay] Milliseconds between two tokens of the streamed answer (default 120).
 * @param {number} [options.lineDelay] Milliseconds between two JSON Lines (default 250).
 * @param {number} [options.taskDelay] Milliseconds a background task takes (default 800).
 */
function buildDemo (options = {}) {
  const { logger = false, http2, https, ...timing } = options
  const app = Fastify({ logger, http2, https })
  app.register(fastifyResponses)
  // Registered after the plugin, so its route hook (responseClass) sees these routes.
  app.register(demoRoutes, timing)
  return app
}

async function demoRoutes (app, options) {
  const { eventsPerStream = 5, eventInterval = 1000, reconnectDelay = 500, tokenDelay = 120, lineDelay = 250, taskDelay = 800 } = options
  const page = fs.readFileSync(path.join(publicDir, 'index.html'), 'utf8')
  app.get('/', () => new HTMLResponse(page))
  // The page's script, style, video and files, by name under public/ (a name outside it is a 404).
  app.get('/static/*', (request, reply) => reply.fileResponse(request.params['*'], { root: publicDir }))
  // Browsers ask for /favicon.ico on any page, the script opened directly too: an SVG icon.
  app.get('/favicon.ico', () => new FileResponse(path.join(publicDir, 'favicon.svg')))
  app.get('/download', () => new FileResponse(path.join(publicDir, 'recipe.txt'), { filename: downloadName }))

  app.get('/json/standard', () => new JSONResponse(plainValue))
  app.get('/json/ujson', () => new UJSONResponse(plainValue))
  app.get('/json/orjson', () => new ORJSONResponse(richValue()))
  app.get('/text', () => new PlainTextResponse('Plain text, with its charset: naïve café ☕'))
  app.get('/fragment', () => new HTMLResponse('<p>An <strong>HTMLResponse</strong> fragment, put in place by the page.</p>'))
  app.get('/badge.svg', () => new Response(badge, { mediaType: 'image/svg+xml' }))
  app.get('/redirect', { responseClass: RedirectResponse }, () => '/redirect/target')
  app.get('/redirect/target', () => new JSONResponse({ arrived: '/redirect/target' }))

  app.get('/stream', () => new StreamingResponse(async function * (signal) {
    for (const word of ['Streamed', 'by', 'StreamingResponse,', 'word', 'by', 'word.']) {
      if (signal.aborted) return
      yield word + ' '
      await sleep(lineDelay)
    }
  }, { mediaType: 'text/plain' }))

  app.get('/jsonl', () => new JSONLinesResponse(async function * (signal) {
    for (const planet of planets) {
      if (signal.aborted) return
      yield planet
      await sleep(lineDelay)
    }
  }))

  // Each stream ends after a few events; EventSource reconnects after `retry` milliseconds with
  // the last id it saw as Last-Event-ID, and the feed goes on from the next id.
  app.get('/events', (request, reply) => reply.eventSourceResponse(async function * (signal, lastEventId) {
    const after = /^\d+$/.test(lastEventId ?? '') ? Number(lastEventId) : 0
    for (let id = after + 1; id <= after + eventsPerStream; id++) {
      if (id > after + 1) await sleep(eventInterval)
      if (signal.aborted) return
      yield new ServerSentEvent({ event: 'tick', id, retry: reconnectDelay, data: { id, resumedAfter: lastEventId ?? null } })
    }
  }))

  // The chat shape: POST a prompt, read the answer's events from the response body with fetch.
  app.post('/chat', {
    schema: { body: { type: 'object', required: ['prompt'], properties: { prompt: { type: 'string', maxLength: 500 } } } }
  }, (request) => new EventSourceResponse(async function * (signal) {
    for (const token of answerTokens(request.body.prompt)) {
      if (signal.aborted) return
      yield new ServerSentEvent({ event: 'token', data: token })
      await sleep(tokenDelay)
    }
    yield new ServerSentEvent({ event: 'done', data: null })
  }))

  app.get('/cookies', (request) => new JSONResponse({ cookie: request.headers.cookie ?? '' }))
  app.post('/cookies', () => new JSONResponse({ set: ['flavour', 'session'] })
    .setCookie('flavour', 'speculoos', { path: '/', sameSite: 'lax' })
    .setCookie('session', 'opaque-token', { path: '/', sameSite: 'lax', httpOnly: true }))
  app.delete('/cookies', () => new JSONResponse({ deleted: ['flavour', 'session'] })
    .deleteCookie('flavour', { path: '/' })
    .deleteCookie('session', { path: '/', httpOnly: true }))

  // A task that runs after its response has been sent: the page polls the log for its entry.
  const taskLog = []
  let tasks = 0
  app.post('/tasks', () => {
    const task = ++tasks
    return new JSONResponse({ task, status: 'accepted' }, {
      statusCode: 202,
      background: async () => {
        await sleep(taskDelay)
        taskLog.push({ task, finishedAt: new Date().toISOString() })
      }
    })
  })
  app.get('/tasks', () => new JSONResponse(taskLog))
}

module.exports = { buildDemo, downloadName }
