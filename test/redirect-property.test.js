'use strict'
// Property: whatever target a handler redirects to, a Location the guard lets through never takes
// a browser off the page's origin, except to the app's own or an allowed one: judged by the URL
// WHATWG URL builds from the Location on an https and on an http page of the app, so with the
// request's scheme (http here, as behind a TLS-terminating proxy) out of the picture.
const t = require('tap')
const fc = require('fast-check')
const { startApp, request } = require('./helpers')
const { target, staysInBounds, configurations } = require('./redirect-targets')

const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31))
const numRuns = 600
t.comment(`fast-check seed ${seed} (FC_SEED=${seed} replays it)`)

for (const { name, redirect, own, hostHeader } of configurations) {
  t.test(`a redirect the guard allows never leaves the app's origins but for an allowed one (${name})`, async (t) => {
    const app = await startApp(t, (app) => {
      app.get('/r', (request, reply) => reply.redirectResponse(request.query.to))
    }, { pluginOptions: { redirect } })
    let allowed = 0
    let refused = 0
    await fc.assert(fc.asyncProperty(target, hostHeader, async (to, hostValue) => {
      const res = await request(app, '/r?to=' + encodeURIComponent(to), { headers: { host: hostValue } })
      if (res.status === 400) {
        refused++
        return JSON.parse(res.text).code === 'FST_RESPONSES_REDIRECT_NOT_ALLOWED' && !('location' in res.headers)
      }
      allowed++
      return res.status === 307 && staysInBounds(res.headers.location, own)
    }), { seed, numRuns })
    t.ok(allowed > 0 && refused > 0, `${allowed} allowed, ${refused} refused of ${numRuns} targets`)
  })
}
