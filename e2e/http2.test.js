'use strict'
// The demo over HTTP/2 with TLS (a self-signed certificate made for the run): the live feed and
// the video, where HTTP/2's streams replace HTTP/1.1's connections.
const t = require('tap')
const { feedResumesWithLastEventId, videoPlaysAndSeeksWithRanges } = require('./checks.js')
const { launchBrowser, openPage, selfSignedCertificate, startDemo } = require('./helpers.js')

t.test('the demo page in Chromium over HTTP/2 with TLS', async (t) => {
  const { origin, answered } = await startDemo(t, { http2: true, https: selfSignedCertificate(t) })
  const { context, errors } = await launchBrowser(t, { ignoreHTTPSErrors: true })

  t.test('the page is served over h2', async (t) => {
    const page = await openPage(t, context)
    await page.goto(origin + '/')
    await page.waitForSelector('body[data-loaded]')
    t.equal(await page.evaluate(() => performance.getEntriesByType('navigation')[0].nextHopProtocol), 'h2', 'as the browser saw it')
    t.ok(answered.length > 0 && answered.every((entry) => entry.httpVersion === '2.0'), 'as the server saw every request')
    t.same(errors, [], 'no console error and no uncaught error')
  })

  t.test('over HTTP/2, the live feed resumes with Last-Event-ID after the server ends a stream', async (t) => {
    const page = await openPage(t, context)
    const before = answered.length
    await feedResumesWithLastEventId(t, page, origin, answered)
    t.ok(answered.slice(before).every((entry) => entry.httpVersion === '2.0'), 'every stream came over HTTP/2')
  })

  t.test('over HTTP/2, the video plays and a seek is served by Range requests answered 206', async (t) => {
    const page = await openPage(t, context)
    const before = answered.length
    await videoPlaysAndSeeksWithRanges(t, context, page, origin, answered)
    t.ok(answered.slice(before).every((entry) => entry.httpVersion === '2.0'), 'every range came over HTTP/2')
    t.same(errors, [], 'no page logged an error')
  })
})
