'use strict'
// A streaming HTTP client for the streaming tests: the response as it arrives, and how it ended.
const http = require('node:http')

/**
 * Opens a GET (or `method`) request and resolves once the headers are in, with
 * { res, req, chunks, text(), ended } where `ended` resolves to 'complete' for a clean end
 * or 'aborted' for a truncated response.
 */
function open (app, path, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(app.baseUrl + path, { method, headers, agent: false }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      const ended = new Promise((resolve) => {
        res.on('error', () => resolve('aborted'))
        res.on('end', () => resolve(res.complete ? 'complete' : 'aborted'))
      })
      resolve({ req, res, chunks, ended, text: () => Buffer.concat(chunks).toString('utf8') })
    })
    req.on('error', reject)
    req.end()
  })
}

/** Resolves when `predicate()` holds, checking every few ms (fails the test after `ms`). */
async function until (predicate, ms = 2000) {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

module.exports = { open, until, sleep }
