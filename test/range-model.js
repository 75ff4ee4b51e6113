'use strict'
// A reference model of Range requests (Starlette 1.5's rules with the RFC correction, merging
// computed over byte sets), random Range headers built from the parts the model knows, and the
// check that a 206 carries exactly the model's bytes: shared by the property tests and the
// reliability suite.
const fc = require('fast-check')
const crypto = require('node:crypto')
const { parseByteranges } = require('./byteranges')

// Small sizes make adjacent and overlapping parts common; 70 000 bytes is above the 64 KiB chunk
// size: over HTTP those bodies are streamed, the others read whole.
const SIZES = [0, 1, 10, 300, 70000]
const files = Object.fromEntries(SIZES.map((size) => [size, crypto.randomBytes(size)]))

// Offsets mostly inside the file, some past its end.
const offset = (size) => fc.nat(size + Math.max(2, Math.ceil(size / 10)))

const part = (size) => fc.oneof(
  fc.record({ kind: fc.constant('range'), a: offset(size), b: offset(size) }),
  fc.record({ kind: fc.constant('open'), a: offset(size) }),
  fc.record({ kind: fc.constant('suffix'), n: offset(size) }),
  fc.record({ kind: fc.constant('junk'), text: fc.constantFrom('', '-', 'x', 'a-b', '5', '1-x', '-y', ' ') })
)

/** A file size and the Range header asked of it, with the parts it was made of. */
const rangeRequest = fc.constantFrom(...SIZES).chain((size) => fc.record({
  size: fc.constant(size),
  parts: fc.array(part(size), { minLength: 1, maxLength: 6 }),
  pad: fc.constantFrom('', ' ')
})).map(({ size, parts, pad }) => ({ size, parts, header: 'bytes=' + parts.map((p) => render(p, pad)).join(',') }))

function render (p, pad) {
  if (p.kind === 'range') return `${pad}${p.a}-${p.b}${pad}`
  if (p.kind === 'open') return `${pad}${p.a}-`
  if (p.kind === 'suffix') return `-${p.n}${pad}`
  return p.text
}

/** The reference: which status (with the 400's message), and which byte runs a 206 carries. */
function model (parts, size) {
  const ranges = parts.filter((p) => p.kind !== 'junk').map((p) => {
    if (p.kind === 'range') return [p.a, Math.min(p.b, size - 1)]
    if (p.kind === 'open') return [p.a, size - 1]
    return [Math.max(0, size - p.n), size - 1]
  })
  if (ranges.length === 0) return { status: 400, message: 'Range header: range must be requested' }
  const satisfiable = ranges.filter(([start]) => start < size)
  if (satisfiable.length === 0) return { status: 416 }
  if (satisfiable.some(([start, end]) => end < start)) return { status: 400, message: 'Range header: start must be less than end' }
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

/** Whether a 206's headers and body carry exactly the model's runs of `data`. */
function carriesRuns (headers, body, runs, data) {
  if (Number(headers['content-length']) !== body.length) return false
  if (runs.length === 1) {
    const [start, end] = runs[0]
    return headers['content-range'] === `bytes ${start}-${end}/${data.length}` && body.equals(data.subarray(start, end + 1))
  }
  const parts = parseByteranges(headers['content-type'], body)
  return parts.length === runs.length && parts.every(({ headers, data: bytes }, i) => {
    const [start, end] = runs[i]
    return headers['Content-Range'] === `bytes ${start}-${end}/${data.length}` && bytes.equals(data.subarray(start, end + 1))
  })
}

module.exports = { SIZES, files, rangeRequest, model, carriesRuns }
