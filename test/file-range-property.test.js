'use strict'
// Property: for random Range headers, a file is answered as a simple reference model says
// (Starlette 1.5's rules with the RFC correction, merging computed over byte sets): the plan
// itself, and the same over HTTP, where each 206 body holds exactly the requested bytes, each
// content-length is exact, and nothing is a 500.
const t = require('tap')
const fc = require('fast-check')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { planFileResponse } = require('../dist/file/plan.js')
const { startApp, request } = require('./helpers')
const { bytesOf } = require('./byteranges')
const { SIZES, files, rangeRequest, model, carriesRuns } = require('./range-model')

t.test('the plan answers random Range headers as the reference model says', async (t) => {
  fc.assert(fc.property(rangeRequest, ({ size, parts, header }) => {
    const plan = planFileResponse({
      method: 'GET',
      requestHeaders: { range: header },
      stats: { size, mtimeMs: 1700000000000 },
      options: {},
      statusCode: 200,
      contentType: 'application/octet-stream',
      responseHeaders: {}
    })
    const expected = model(parts, size)
    if (expected.status === 400) return plan.refused === 400 && plan.message === expected.message
    if (expected.status === 416) return plan.refused === 416 && plan.headers['content-range'] === `bytes */${size}`
    return plan.statusCode === 206 && carriesRuns(plan.headers, bytesOf(plan.segments, files[size]), expected.runs, files[size])
  }), { numRuns: 2000 })
  t.pass('2000 random headers planned as the model says')
})

t.test('over HTTP, random Range headers get the model\'s status and exactly its bytes', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fr-prop-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  for (const size of SIZES) fs.writeFileSync(path.join(dir, String(size)), files[size])
  const app = await startApp(t, (app) => {
    app.get('/:size', (request, reply) => reply.fileResponse(path.join(dir, request.params.size)))
  })
  await fc.assert(fc.asyncProperty(rangeRequest, async ({ size, parts, header }) => {
    const res = await request(app, `/${size}`, { headers: { range: header } })
    const expected = model(parts, size)
    return res.status === expected.status && (res.status !== 206 || carriesRuns(res.headers, res.body, expected.runs, files[size]))
  }), { numRuns: 200 })
  t.pass('200 random headers answered as the model says')
})
