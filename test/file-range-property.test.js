'use strict'
// Property: for random Range headers, FileResponse answers as a simple reference model says
// (Starlette 1.5's rules with the RFC correction, merging computed over byte sets), each 206
// body holds exactly the requested bytes, each content-length is exact, and nothing is a 500.
const t = require('tap')
const fc = require('fast-check')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { FileResponse } = require('fastify-responses')
const { startApp, request } = require('./helpers')

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-prop-'))
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
// 70 000 bytes is above the 64 KiB chunk size: those bodies are streamed, the others read whole.
const files = Object.fromEntries([1, 300, 70000].map((size) => {
  const data = crypto.randomBytes(size)
  fs.writeFileSync(path.join(dir, String(size)), data)
  return [size, data]
}))

const part = (size) => fc.oneof(
  fc.record({ kind: fc.constant('range'), a: fc.nat(size + 20), b: fc.nat(size + 20) }),
  fc.record({ kind: fc.constant('open'), a: fc.nat(size + 20) }),
  fc.record({ kind: fc.constant('suffix'), n: fc.nat(size + 20) }),
  fc.record({ kind: fc.constant('junk'), text: fc.constantFrom('', '-', 'x', 'a-b', '5', '1-x', '-y', ' ') })
)

function render (p, pad) {
  if (p.kind === 'range') return `${pad}${p.a}-${p.b}${pad}`
  if (p.kind === 'open') return `${pad}${p.a}-`
  if (p.kind === 'suffix') return `-${p.n}${pad}`
  return p.text
}

/** The reference: which status, and which byte runs a 206 carries. */
function model (parts, size) {
  const ranges = parts.filter((p) => p.kind !== 'junk').map((p) => {
    if (p.kind === 'range') return [p.a, Math.min(p.b, size - 1)]
    if (p.kind === 'open') return [p.a, size - 1]
    return [Math.max(0, size - p.n), size - 1]
  })
  if (ranges.length === 0) return { status: 400 }
  const satisfiable = ranges.filter(([start]) => start < size)
  if (satisfiable.length === 0) return { status: 416 }
  if (satisfiable.some(([start, end]) => end < start)) return { status: 400 }
  const covered = new Array(size).fill(false)
  for (const [start, end] of satisfiable) for (let i = start; i <= end; i++) covered[i] = true
  const runs = []
  for (let i = 0; i < size; i++) {
    if (!covered[i]) continue
    if (i > 0 && covered[i - 1]) runs[runs.length - 1][1] = i
    else runs.push([i, i])
  }
  return { status: 206, runs }
}

function multipartParts (res) {
  const boundary = /boundary=(\S+)$/.exec(res.headers['content-type'])[1]
  const text = res.body.toString('latin1')
  if (!text.endsWith(`--${boundary}--`)) return undefined
  return text.slice(0, -`--${boundary}--`.length).split(`--${boundary}\r\n`).slice(1).map((chunk) => {
    const split = chunk.indexOf('\r\n\r\n')
    const range = /Content-Range: bytes (\d+)-(\d+)\/\d+/.exec(chunk.slice(0, split))
    return { run: [Number(range[1]), Number(range[2])], data: Buffer.from(chunk.slice(split + 4, -2), 'latin1') }
  })
}

t.test('random Range headers match the reference model', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/:size', (request, reply) => reply.fileResponse(path.join(dir, request.params.size)))
  })
  await fc.assert(fc.asyncProperty(
    fc.constantFrom(1, 300, 70000).chain((size) => fc.tuple(fc.constant(size), fc.array(part(size), { minLength: 1, maxLength: 6 }), fc.constantFrom('', ' '))),
    async ([size, parts, pad]) => {
      const data = files[size]
      const res = await request(app, `/${size}`, { headers: { range: 'bytes=' + parts.map((p) => render(p, pad)).join(',') } })
      const expected = model(parts, size)
      if (res.status !== expected.status) return false
      if (res.status !== 206) return true
      if (Number(res.headers['content-length']) !== res.body.length) return false
      if (expected.runs.length === 1) {
        const [start, end] = expected.runs[0]
        return res.headers['content-range'] === `bytes ${start}-${end}/${size}` && res.body.equals(data.subarray(start, end + 1))
      }
      const got = multipartParts(res)
      return got !== undefined && got.length === expected.runs.length && got.every(({ run, data: bytes }, i) =>
        run[0] === expected.runs[i][0] && run[1] === expected.runs[i][1] && bytes.equals(data.subarray(run[0], run[1] + 1)))
    }
  ), { numRuns: 300 })
  t.pass('300 random headers answered as the model says')
})
