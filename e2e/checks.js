'use strict'
// Checks that run over HTTP/1.1 and over HTTP/2 with TLS alike: each opens the demo page, drives
// it, and asserts on what the page shows and on what the server answered (`answered`).
const fs = require('node:fs')
const path = require('node:path')

const VIDEO_URL = '/static/test-pattern.webm'
const VIDEO_SIZE = fs.statSync(path.join(__dirname, '..', 'examples', 'public', 'test-pattern.webm')).size

/** `bytes=first-[last]` as numbers, the last defaulting to the end of the video. */
function parseRange (range) {
  const [, first, last] = /^bytes=(\d+)-(\d*)$/.exec(range)
  return { first: Number(first), last: last === '' ? VIDEO_SIZE - 1 : Number(last) }
}

async function videoPlaysAndSeeksWithRanges (t, context, page, origin, answered) {
  // On loopback the whole file arrives at once and a seek finds it buffered. Over a slow link
  // (DevTools' throttling, without the HTTP cache) the far end is not loaded yet when the page
  // seeks there, so Chromium asks for it with a new Range request (it waits for the running one
  // instead only when that one is less than 160 KiB short of the target: at 32 KiB/s, the seek
  // at 10 s, about 390 KiB in, has 7 s to happen).
  const devtools = await context.newCDPSession(page)
  await devtools.send('Network.enable')
  await devtools.send('Network.setCacheDisabled', { cacheDisabled: true })
  await devtools.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: 32 * 1024, uploadThroughput: -1 })
  await page.goto(origin + '/')
  await page.waitForFunction(() => document.getElementById('video').currentTime > 0.2)
  t.pass('the video plays: its current time advances')

  const before = answered.length
  await page.click('#seek')
  await page.waitForFunction(() => document.getElementById('video').currentTime > 10.3)
  t.pass('after the seek to 10 s, it plays on from there')
  const seeks = answered.slice(before).filter((entry) => entry.url === VIDEO_URL && entry.range !== undefined && parseRange(entry.range).first > 0)
  t.ok(seeks.length > 0, 'the seek made Chromium ask for a range past the start')
  for (const { range, statusCode, contentRange } of seeks) {
    const { first, last } = parseRange(range)
    t.equal(statusCode, 206, `${range} is answered 206`)
    t.equal(contentRange, `bytes ${first}-${last}/${VIDEO_SIZE}`, `${range} gets its content-range`)
  }
  t.ok(seeks.some((entry) => parseRange(entry.range).first > VIDEO_SIZE / 2), 'one of them starts in the second half, where 10 s of 12 is')
  await devtools.detach()
}

async function feedResumesWithLastEventId (t, page, origin, answered) {
  const before = answered.length
  await page.goto(origin + '/')
  // Three streams of three events: two reconnections.
  await page.waitForFunction(() => document.querySelectorAll('#sse-events li').length >= 7)
  const ids = await page.$$eval('#sse-events li', (items) => items.map((item) => Number(item.dataset.id)))
  t.same(ids, ids.map((_, index) => index + 1), `the page shows ids 1 to ${ids.length}, no gap, no repeat`)
  t.equal(await page.textContent('#sse-events li:nth-child(4)'), 'event 4, stream resumed after 3', 'the page shows where the second stream resumed')
  const streams = answered.slice(before).filter((entry) => entry.url === '/events')
  t.same(streams.slice(0, 3).map((entry) => entry.lastEventId), [undefined, '3', '6'], 'each reconnection sent the last id it saw as Last-Event-ID')
  t.ok(streams.every((entry) => entry.statusCode === 200), 'every stream was answered 200')
}

module.exports = { feedResumesWithLastEventId, videoPlaysAndSeeksWithRanges, VIDEO_URL }
