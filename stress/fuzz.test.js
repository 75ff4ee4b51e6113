'use strict'
// Fuzzing with fast-check (seeded: FC_SEED replays a run; the seed is printed), a few thousand
// cases per property, all over real HTTP: conditional and Range requests against a reference
// model; user-chosen names under `root`; download names, cookies, header names and values, media
// types; redirect targets with and without the guard; server-sent event fields.
const t = require('tap')
const fc = require('fast-check')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const http = require('node:http')
const { parse: parseCookie } = require('cookie')
const { Response, ServerSentEvent } = require('fastify-responses')
const { startApp, rawRequest } = require('../test/helpers')
const { SIZES, files, rangeRequest, model: rangeModel, carriesRuns } = require('../test/range-model')
const { target, staysInBounds, configurations } = require('../test/redirect-targets')
const { fcSeed } = require('./helpers')

const seed = fcSeed(t)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-fuzz-'))
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))

/** Input for a handler, carried whole (NUL, lone surrogates...) as base64url JSON in the query. */
const carry = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')
const carried = (request) => JSON.parse(Buffer.from(request.query.x, 'base64url').toString())

/** Requests over one kept-alive connection: { status, headers, body }. */
function keptAlive (app) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  t.teardown(() => agent.destroy())
  return (urlPath, { method = 'GET', headers = {} } = {}) => new Promise((resolve, reject) => {
    const req = http.request(app.baseUrl + urlPath, { method, headers, agent }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks), text: Buffer.concat(chunks).toString() }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** A GET written by hand with this Host; resolves { head, body }: the bytes before any HTTP parsing. */
function rawGet (app, urlPath, host = '127.0.0.1') {
  return rawRequest(app, `GET ${urlPath} HTTP/1.1`, [`host: ${host}`])
}

const codeOf = (res) => { try { return JSON.parse(res.text).code } catch { return undefined } }

t.test('Range, If-Range, If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since answered as the reference model says; HEAD sends GET\'s headers', async (t) => {
  for (const size of SIZES) fs.writeFileSync(path.join(dir, `range-${size}`), files[size])
  const app = await startApp(t, (app) => {
    app.route({ method: ['GET', 'HEAD'], url: '/:size', handler: (request, reply) => reply.fileResponse(path.join(dir, `range-${request.params.size}`)) })
  })
  const send = keptAlive(app)
  const validators = {}
  for (const size of SIZES) {
    const { headers } = await send(`/${size}`)
    validators[size] = { etag: headers.etag, lastModified: headers['last-modified'] }
  }

  const tag = fc.constantFrom('E', 'W/E', '"nope"', '*', 'E, "nope"', 'W/"nope", W/E', 'garbage', '')
  const date = fc.constantFrom('L', 'before', 'after', 'garbage')
  // Each condition absent more often than not, so that every combination, none included, is common.
  const sometimes = (arbitrary) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 })
  const conditions = fc.record({
    'if-match': sometimes(tag),
    'if-none-match': sometimes(tag),
    'if-modified-since': sometimes(date),
    'if-unmodified-since': sometimes(date),
    'if-range': sometimes(fc.constantFrom('E', 'W/E', 'L', '"nope"', 'before')),
    withRange: fc.boolean()
  })

  /** The placeholders of a case (E, L, before, after) as the file's own validators. */
  function realise (value, { etag, lastModified }) {
    const shifted = (days) => new Date(Date.parse(lastModified) + days * 86400000).toUTCString()
    return value.replace('W/E', 'W/' + etag).replace(/\bE\b/, etag).replace(/^L$/, lastModified).replace(/^before$/, shifted(-1)).replace(/^after$/, shifted(1))
  }

  /** RFC 9110 §13.2.2: 412, 304, or undefined to go on. */
  function preconditionModel (headers, { etag, lastModified }) {
    const tags = (value) => value.match(/(?:W\/)?"[^"]*"/g) ?? []
    const seconds = (value) => { const ms = Date.parse(value); return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000) }
    const modified = seconds(lastModified)
    if (headers['if-match'] !== undefined) {
      if (headers['if-match'].trim() !== '*' && !tags(headers['if-match']).includes(etag)) return 412
    } else if (headers['if-unmodified-since'] !== undefined) {
      const since = seconds(headers['if-unmodified-since'])
      if (since !== undefined && modified > since) return 412
    }
    if (headers['if-none-match'] !== undefined) {
      const weak = (tag) => tag.replace(/^W\//, '')
      if (headers['if-none-match'].trim() === '*' || tags(headers['if-none-match']).some((tag) => weak(tag) === weak(etag))) return 304
    } else if (headers['if-modified-since'] !== undefined) {
      const since = seconds(headers['if-modified-since'])
      if (since !== undefined && modified <= since) return 304
    }
    return undefined
  }

  const sameHeaders = (get, head) => {
    const strip = ({ date, connection, 'keep-alive': keepAlive, ...rest }) => rest
    const normalise = (headers) => JSON.stringify(strip(headers)).replace(/boundary=\w+/, 'boundary=B')
    return normalise(get) === normalise(head)
  }

  const statuses = {}
  await fc.assert(fc.asyncProperty(rangeRequest, conditions, async ({ size, parts, header }, { withRange, ...conditional }) => {
    const headers = {}
    for (const [name, value] of Object.entries(conditional)) if (value !== undefined) headers[name] = realise(value, validators[size])
    if (withRange) headers.range = header
    const get = await send(`/${size}`, { headers })
    const head = await send(`/${size}`, { method: 'HEAD', headers })
    statuses[get.status] = (statuses[get.status] ?? 0) + 1
    if (head.status !== get.status || head.body.length !== 0 || !sameHeaders(get.headers, head.headers)) return false
    const precondition = preconditionModel(headers, validators[size])
    if (precondition === 412) return get.status === 412 && codeOf(get) === 'FST_RESPONSES_PRECONDITION_FAILED'
    if (precondition === 304) return get.status === 304 && get.body.length === 0 && get.headers.etag === validators[size].etag
    const ifRange = headers['if-range']
    const rangeApplies = withRange && (ifRange === undefined || ifRange === validators[size].etag || ifRange === validators[size].lastModified)
    const expected = rangeApplies ? rangeModel(parts, size) : { status: 200 }
    if (get.status !== expected.status) return false
    if (expected.status === 200) return get.body.equals(files[size]) && get.headers['content-length'] === String(size)
    if (expected.status === 206) return carriesRuns(get.headers, get.body, expected.runs, files[size])
    if (expected.status === 416) return get.headers['content-range'] === `bytes */${size}`
    return codeOf(get) === 'FST_RESPONSES_RANGE_MALFORMED'
  }), { seed, numRuns: 2000 })
  t.comment(`statuses over 2000 cases ${JSON.stringify(statuses)}`)
  t.ok(Object.keys(statuses).length >= 6, 'every outcome was reached (200, 206, 304, 400, 412, 416)')
})

t.test('names under root: no byte from outside it, no dotfile unless allowed, no 5xx, no path in any answer', async (t) => {
  const base = path.join(dir, 'names')
  const root = path.join(base, 'root')
  const write = (file, text) => { fs.mkdirSync(path.dirname(file), { recursive: true }); fs.writeFileSync(file, text) }
  write(path.join(root, 'a.txt'), 'INSIDE a')
  write(path.join(root, 'sub', 'b.txt'), 'INSIDE b')
  write(path.join(root, 'caf\u00e9.txt'), 'INSIDE cafe')
  write(path.join(root, '.env'), 'DOT env')
  write(path.join(root, '.git', 'config'), 'DOT git')
  write(path.join(root, 'sub', '.hidden'), 'DOT hidden')
  write(path.join(base, 'root-evil', 'x.txt'), 'OUTSIDE evil')
  write(path.join(base, 'outside', 'secret.txt'), 'OUTSIDE secret')
  write(path.join(base, '.env'), 'OUTSIDE env')
  const links = {
    'link-in': 'a.txt',
    'link-sub': 'sub',
    'link-out': '../outside/secret.txt',
    'link-evil': '../root-evil/x.txt',
    'link-dot': '.env',
    'link-dotdir': '.git',
    'dir-out': '../outside',
    'link-abs': path.join(base, 'outside', 'secret.txt'),
    'link-loop': 'link-loop'
  }
  for (const [name, to] of Object.entries(links)) fs.symlinkSync(to, path.join(root, name))

  const modes = ['ignore', 'deny', 'allow']
  const app = await startApp(t, (app) => {
    app.get('/:mode', (request, reply) => reply.fileResponse(carried(request), { root, dotfiles: request.params.mode }))
  })
  const send = keptAlive(app)
  const segment = fc.constantFrom('..', '%2e%2e', '.%2e', '.', '', 'a.txt', 'sub', 'b.txt', 'caf\u00e9.txt', 'cafe\u0301.txt', '.env', '.git', 'config',
    '.hidden', 'root', 'root-evil', 'x.txt', 'outside', 'secret.txt', '..%2f', '%2f', '%2F', '%5c', '%5C', '\\', '..\\', '\0', 'a.txt\0.png', '%00',
    'x'.repeat(5000), 'y'.repeat(256), ...Object.keys(links), '/etc/passwd', base, root, 'ａ.txt', '%252e%252e')
  // Names that lead somewhere (a file, a dotfile, a link in or out of the root), as they are or
  // with a piece of noise; and names made of pieces alone.
  const real = fc.constantFrom('a.txt', 'sub/b.txt', 'caf\u00e9.txt', 'cafe\u0301.txt', '.env', '.git/config', 'sub/.hidden', 'link-in', 'link-sub/b.txt',
    'link-sub/.hidden', 'link-out', 'link-evil', 'link-dot', 'link-dotdir/config', 'dir-out/secret.txt', 'link-abs', 'link-loop', 'sub/../a.txt', '../root-evil/x.txt',
    '../outside/secret.txt', '../.env', 'sub//b.txt', './a.txt', 'sub/./b.txt')
  const noisy = fc.tuple(fc.constantFrom('', '', '', '/', './', '../', '\\', '%2e%2e/'), real, fc.constantFrom('', '', '', '/', '\0', '%00', '/..', '\\..'))
    .map(([prefix, name, suffix]) => prefix + name + suffix)
  const pieces = fc.tuple(fc.constantFrom('', '', '/', './', '../', '\\'), fc.array(segment, { minLength: 1, maxLength: 4 }), fc.constantFrom('/', '/', '/', '\\', '//'))
    .map(([prefix, segments, separator]) => prefix + segments.join(separator))
  const name = fc.oneof(noisy, pieces)
  const outcomes = {}
  await fc.assert(fc.asyncProperty(fc.constantFrom(...modes), name, async (mode, fileName) => {
    const res = await send(`/${mode}?x=${carry(fileName)}`)
    const outcome = res.status === 200 ? `200 ${res.text.split(' ')[0]}` : `${res.status} ${codeOf(res)}`
    outcomes[`${mode} ${outcome}`] = (outcomes[`${mode} ${outcome}`] ?? 0) + 1
    if (res.text.includes(base)) return false
    if (res.status === 200) return res.text.startsWith('INSIDE') || (mode === 'allow' && res.text.startsWith('DOT'))
    return (res.status === 404 && codeOf(res) === 'FST_RESPONSES_FILE_NOT_FOUND') || (res.status === 403 && codeOf(res) === 'FST_RESPONSES_FILE_FORBIDDEN')
  }), { seed, numRuns: 3000 })
  t.comment(`outcomes over 3000 names ${JSON.stringify(outcomes)}`)
  t.ok(modes.every((mode) => outcomes[`${mode} 200 INSIDE`] > 0), 'files inside the root were served in every mode')
  t.ok(outcomes['allow 200 DOT'] > 0, 'dotfiles were served where allowed')
})

// Text made of what breaks header lines and parsers, and arbitrary code points (lone surrogates included).
const nasty = fc.array(fc.oneof(
  fc.constantFrom('\r', '\n', '\r\n', '\0', '\t', ' ', '"', ';', ',', '=', '%', '%0d%0a', '\\', ':', '\x7f', '\x1b', '\xff', '\u0100', 'é', '日本',
    '\u2028', '\u2029', '\u0085', '\ufeff', '\ud800', '\udfff', 'set-cookie: a=b', 'x'),
  fc.string({ unit: 'binary', maxLength: 3 })
), { maxLength: 8 }).map((pieces) => pieces.join(''))

// Text without control characters: what a check must let through, and encode or send exactly.
const mild = fc.array(fc.constantFrom(' ', '"', ',', '=', '%', '%41', '\\', '+', '/', 'é', '\xff', '日本', '\u2028', '\ufeff', '\ud800', 'x', 'Y', '7'), { maxLength: 8 })
  .map((pieces) => pieces.join(''))
const text = fc.oneof(nasty, mild)

/** The header lines of a raw response head, and whether any of them carries CR, LF or NUL. */
function headerLines (head) {
  const text = head.toString('latin1')
  const lines = text.split('\r\n').slice(1)
  return { lines, clean: lines.every((line) => !/[\r\n\0]/.test(line)) }
}

t.test('download names, cookies, header names and values, media types: no CR, LF or NUL in any raw header, and each parses back exactly', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/h', (request, reply) => {
      const { kind, name, value, options } = carried(request)
      if (kind === 'filename') return reply.fileResponse(__filename, { filename: value })
      if (kind === 'cookie') return reply.sendResponse(new Response('c').setCookie(name, value, options))
      if (kind === 'header') return reply.response('h', { headers: { [`x-${name}`]: value } })
      return reply.response('m', { mediaType: value })
    })
  })
  const sometimes = (arbitrary) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 })
  const cookieOptions = fc.record({
    path: sometimes(text),
    domain: sometimes(fc.oneof(text, fc.constant('example.com'))),
    sameSite: sometimes(fc.constantFrom('lax', 'Strict', 'none', 'bogus')),
    secure: sometimes(fc.boolean()),
    maxAge: sometimes(fc.oneof(fc.integer(), fc.double()))
  })
  const cases = fc.oneof(
    fc.record({ kind: fc.constant('filename'), value: text }),
    fc.record({ kind: fc.constant('cookie'), name: fc.oneof(text, fc.constantFrom('sid', '__Host-a', '__Secure-b')), value: text, options: cookieOptions }),
    fc.record({ kind: fc.constant('header'), name: fc.oneof(text, fc.constant('ok')), value: text }),
    fc.record({ kind: fc.constant('mediaType'), value: fc.oneof(text, fc.constantFrom('text/plain', 'application/x-thing', 'text/csv; header=present')) })
  )
  const outcomes = {}
  await fc.assert(fc.asyncProperty(cases, async (input) => {
    const { head, body } = await rawGet(app, `/h?x=${carry(input)}`)
    const status = Number(head.toString('latin1').split(' ')[1])
    const { lines, clean } = headerLines(head)
    outcomes[`${input.kind} ${status}`] = (outcomes[`${input.kind} ${status}`] ?? 0) + 1
    if (!clean) return false
    const field = (name) => lines.filter((line) => line.toLowerCase().startsWith(name + ':')).map((line) => line.slice(name.length + 1).trim())
    if (status === 500) {
      const code = JSON.parse(body.toString()).code
      return ['FST_RESPONSES_INVALID_COOKIE', 'FST_RESPONSES_INVALID_HEADER'].includes(code) && field('set-cookie').length === 0
    }
    if (status !== 200) return false
    const wellFormed = (text) => text.toWellFormed()
    if (input.kind === 'filename') {
      const [disposition] = field('content-disposition')
      const extended = /filename\*=utf-8''([^;]*)$/.exec(disposition)
      const sent = extended === null ? /filename="([^"]*)"$/.exec(disposition)[1] : decodeURIComponent(extended[1])
      return sent === wellFormed(input.value)
    }
    if (input.kind === 'cookie') {
      const cookies = field('set-cookie')
      if (cookies.length !== 1) return false
      const parsed = parseCookie(cookies[0].split(';')[0])
      const pathAttribute = cookies[0].split('; ').find((attribute) => attribute.startsWith('Path='))
      // Path "/" unless given; an empty one is left out, as Python's cookies (and Starlette) do.
      const expectedPath = input.options.path ?? '/'
      return parsed[input.name] === input.value && pathAttribute === (expectedPath === '' ? undefined : `Path=${expectedPath}`)
    }
    // Node writes the values of a head as Latin-1: each byte is the character sent.
    if (input.kind === 'header') return field(`x-${input.name.toLowerCase()}`)[0] === input.value.trim()
    return field('content-type')[0].startsWith(input.value.trim())
  }), { seed, numRuns: 3000 })
  t.comment(`outcomes over 3000 cases ${JSON.stringify(outcomes)}`)
  t.ok(['filename 200', 'cookie 200', 'cookie 500', 'header 200', 'header 500', 'mediaType 200', 'mediaType 500'].every((outcome) => outcomes[outcome] > 0), 'both outcomes reached for every kind')
})

t.test('redirect targets: through the guard never cross-origin, judged by WHATWG URL from the https and http origins; without it, a clean Location', async (t) => {
  for (const { name, redirect, own, hostHeader } of configurations) {
    const app = await startApp(t, (app) => {
      app.get('/r', (request, reply) => reply.redirectResponse(carried(request)))
    }, { pluginOptions: { redirect } })
    const counts = { allowed: 0, refused: 0 }
    await fc.assert(fc.asyncProperty(target, hostHeader, async (to, hostValue) => {
      const { head, body } = await rawGet(app, `/r?x=${carry(to)}`, hostValue)
      const status = Number(head.toString('latin1').split(' ')[1])
      const { lines, clean } = headerLines(head)
      const locations = lines.filter((line) => line.toLowerCase().startsWith('location:'))
      if (!clean) return false
      if (status === 400) {
        counts.refused++
        return JSON.parse(body.toString()).code === 'FST_RESPONSES_REDIRECT_NOT_ALLOWED' && locations.length === 0
      }
      counts.allowed++
      return status === 307 && locations.length === 1 && staysInBounds(locations[0].slice('location:'.length).trim(), own)
    }), { seed, numRuns: 2000 })
    t.comment(`guard (${name}): ${counts.allowed} allowed, ${counts.refused} refused of 2000 targets`)
    t.ok(counts.allowed > 0 && counts.refused > 0, `the guard (${name}) allowed some targets and refused others`)
  }
  const app = await startApp(t, (app) => {
    app.get('/r', (request, reply) => reply.redirectResponse(carried(request)))
  })
  await fc.assert(fc.asyncProperty(fc.oneof(target, nasty), async (to) => {
    const { head } = await rawGet(app, `/r?x=${carry(to)}`)
    const { lines, clean } = headerLines(head)
    const locations = lines.filter((line) => line.toLowerCase().startsWith('location:'))
    // Outside the guard, a target is the programmer's: sent, percent-encoded, on one clean line.
    return clean && head.toString('latin1').startsWith('HTTP/1.1 307') && locations.length === 1 && /^location: [\x21-\x7e]*$/i.test(locations[0])
  }), { seed, numRuns: 2000 })
  t.pass('without the guard, 2000 targets each sent as one printable-ASCII Location')
})

/** WHATWG HTML §9.2.6: the events a stream dispatches, and any field name it does not know. */
function parseEventStream (text) {
  const events = []
  const unknown = []
  let data = ''
  let type = ''
  let lastEventId = ''
  const lines = text.split(/\r\n|\r|\n/)
  // What follows the last line break is an incomplete line: never processed.
  lines.pop()
  for (const line of lines) {
    if (line === '') {
      if (data !== '') events.push({ type: type === '' ? 'message' : type, data: data.endsWith('\n') ? data.slice(0, -1) : data, lastEventId })
      data = ''
      type = ''
      continue
    }
    if (line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'event') type = value
    else if (field === 'data') data += value + '\n'
    else if (field === 'id') { if (!value.includes('\0')) lastEventId = value } else if (field !== 'retry') unknown.push(field)
  }
  return { events, unknown }
}

t.test('server-sent event fields with CR, LF, NUL, U+2028, U+2029, U+0085, a BOM or lone surrogates: parsed back by the WHATWG algorithm, no field injected', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/sse', (request, reply) => reply.eventSourceResponse(carried(request).map((item) => item.plain ? item.value : new ServerSentEvent(item)), { ping: 0 }))
  })
  const send = keptAlive(app)
  const field = fc.option(nasty, { nil: undefined })
  const item = fc.oneof(
    fc.record({ plain: fc.constant(true), value: fc.oneof(nasty, fc.dictionary(nasty, nasty, { maxKeys: 2 })) }),
    fc.record({ data: field, event: field, id: field, comment: field }, { requiredKeys: [] }),
    fc.record({ rawData: field, event: field, id: field, retry: fc.option(fc.nat(), { nil: undefined }) }, { requiredKeys: [] })
  )
  /** What a client must see: the events, in order, or the error that refuses them. */
  function expectedOf (items) {
    const events = []
    let lastEventId = ''
    for (const item of items) {
      if (item.plain) {
        events.push({ type: 'message', data: JSON.stringify(item.value).toWellFormed(), lastEventId })
        continue
      }
      if (/[\r\n]/.test(item.event ?? '') || /[\r\n\0]/.test(item.id ?? '')) return 'refused'
      if (item.id !== undefined) lastEventId = item.id.toWellFormed()
      const data = item.data !== undefined ? JSON.stringify(item.data) : item.rawData
      if (data === undefined) continue
      events.push({ type: item.event === undefined || item.event === '' ? 'message' : item.event.toWellFormed(), data: data.split(/\r\n|\r|\n/).join('\n').toWellFormed(), lastEventId })
    }
    return events
  }
  const outcomes = { streamed: 0, refused: 0, events: 0 }
  await fc.assert(fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 5 }), async (items) => {
    const res = await send(`/sse?x=${carry(items)}`)
    const expected = expectedOf(items)
    if (expected === 'refused') {
      outcomes.refused++
      return res.status === 500 && codeOf(res) === 'FST_RESPONSES_INVALID_EVENT'
    }
    outcomes.streamed++
    outcomes.events += expected.length
    // The decoder a browser uses: UTF-8, one leading BOM dropped.
    const { events, unknown } = parseEventStream(new TextDecoder().decode(res.body))
    return res.status === 200 && unknown.length === 0 && JSON.stringify(events) === JSON.stringify(expected)
  }), { seed, numRuns: 2000 })
  t.comment(`2000 streams: ${outcomes.streamed} streamed with ${outcomes.events} events, ${outcomes.refused} refused`)
  t.ok(outcomes.streamed > 0 && outcomes.refused > 0, 'streams both sent and refused')
})
