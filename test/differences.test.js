'use strict'
// The choices where this package differs from Starlette and FastAPI on purpose (the README's
// list), pinned on the wire.
const t = require('tap')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { startApp, request, rawRequest } = require('./helpers')
const { Response, JSONResponse, ORJSONResponse, JSONLinesResponse, EventSourceResponse, FileResponse } = require('fastify-responses')

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fr-differences-')))
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))

/** The set-cookie lines of a raw response, as sent. */
function setCookieLines (res) {
  return res.head.toString('latin1').split('\r\n').filter((line) => line.startsWith('set-cookie: ')).map((line) => line.slice(12))
}

t.test('cookies: RFC 6265 spelling, raw cookie-octets, percent-encoding and HTTP dates', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', () => new Response('x')
      .setCookie('spelling', 'v', { sameSite: 'strict', priority: 'high', httpOnly: true })
      .setCookie('empty', '')
      .setCookie('raw', 'a/b=c[d](e)@f?g')
      .setCookie('encoded', 'a,b é ♥')
      .setCookie('expires', 'v', { expires: '2037-01-22T12:00:10Z' }))
  })
  t.same(setCookieLines(await rawRequest(app, 'GET / HTTP/1.1')), [
    'spelling=v; Path=/; HttpOnly; Priority=High; SameSite=Strict',
    'empty=; Path=/; SameSite=Lax',
    'raw=a/b=c[d](e)@f?g; Path=/; SameSite=Lax',
    'encoded=a%2Cb%20%C3%A9%20%E2%99%A5; Path=/; SameSite=Lax',
    'expires=v; Path=/; Expires=Thu, 22 Jan 2037 12:00:10 GMT; SameSite=Lax'
  ])
})

t.test('JSON: compact UTF-8 in streams, Date#toJSON, lone surrogates escaped, JavaScript key order and numbers', async (t) => {
  const value = { a: 1, s: 'é' }
  const app = await startApp(t, (app) => {
    app.get('/sse', () => new EventSourceResponse([value, 'a\ud800b']))
    app.get('/jsonl', () => new JSONLinesResponse([value, 'a\ud800b']))
    app.get('/date', () => new ORJSONResponse({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) }))
    app.get('/surrogate', () => new JSONResponse({ s: 'a\ud800b' }))
    app.get('/keys', () => new JSONResponse({ b: 1, 2: 2, 1: 3 }))
    app.get('/map', () => new ORJSONResponse(new Map([['b', 1], ['2', 2], ['1', 3]])))
    app.get('/number', () => new JSONResponse({ n: 2 ** 53 + 1 }))
    app.get('/bigint', () => new ORJSONResponse({ n: 2n ** 53n + 1n }))
  })
  const body = async (path) => (await request(app, path)).body
  t.same(await body('/sse'), Buffer.from('data: {"a":1,"s":"é"}\n\ndata: "a\\ud800b"\n\n'))
  t.same(await body('/jsonl'), Buffer.from('{"a":1,"s":"é"}\n"a\\ud800b"\n'))
  t.same(await body('/date'), Buffer.from('{"at":"2024-01-02T03:04:05.000Z"}'))
  t.same(await body('/surrogate'), Buffer.from('{"s":"a\\ud800b"}'))
  t.same(await body('/keys'), Buffer.from('{"1":3,"2":2,"b":1}'), 'integer-like keys first, as the object holds them')
  t.same(await body('/map'), Buffer.from('{"b":1,"2":2,"1":3}'), 'a Map keeps its insertion order')
  t.same(await body('/number'), Buffer.from('{"n":9007199254740992}'), '2 ** 53 + 1 is not a JavaScript number')
  t.same(await body('/bigint'), Buffer.from('{"n":9007199254740993}'), 'a BigInt is exact')
})

t.test("files: the MIME database of mime 3 (@fastify/send's), and a Range header trimmed of HTTP whitespace only", async (t) => {
  const types = {
    'a.gz': 'application/gzip',
    'a.yaml': 'text/yaml; charset=utf-8',
    'a.yml': 'text/yaml; charset=utf-8',
    'a.toml': 'application/toml',
    'a.ts': 'video/mp2t',
    'a.sh': 'application/x-sh',
    'a.py': 'application/octet-stream',
    'a.c': 'text/x-c; charset=utf-8',
    'a.h': 'text/x-c; charset=utf-8'
  }
  for (const name of Object.keys(types)) fs.writeFileSync(path.join(dir, name), 'abc')
  const app = await startApp(t, (app) => {
    app.get('/:name', (request) => new FileResponse(path.join(dir, request.params.name)))
  })
  for (const [name, type] of Object.entries(types)) {
    t.ok((await rawRequest(app, `GET /${name} HTTP/1.1`)).head.includes(`\r\ncontent-type: ${type}\r\n`), `${name}: ${type}`)
  }
  const spaced = await rawRequest(app, 'GET /a.c HTTP/1.1', ['range: bytes= 0-1 '])
  t.match(spaced.head.toString('latin1'), /^HTTP\/1\.1 206 /, 'spaces around a part are trimmed')
  t.same(spaced.body, Buffer.from('ab'))
  const nel = await rawRequest(app, 'GET /a.c HTTP/1.1', ['range: bytes=0-1\x85'])
  t.match(nel.head.toString('latin1'), /^HTTP\/1\.1 400 /, 'NEL is part of the range, which is then not numeric')
  t.equal(JSON.parse(nel.body).message, 'Range header: range must be requested')
})
