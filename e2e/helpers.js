'use strict'
// The browser tests' setup: the demo started in-process on 127.0.0.1:0 with a log of what it
// answered, Debian's Chromium driven by playwright-core, and a self-signed certificate for HTTP/2.
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { chromium } = require('playwright-core')
const { buildDemo } = require('../examples/app.js')

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']

// Short pauses, so that each feed shows several steps within a test.
const TIMING = { eventsPerStream: 3, eventInterval: 150, reconnectDelay: 100, tokenDelay: 60, lineDelay: 100, taskDelay: 300 }

function tempDir (t, name) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fastify-responses-e2e-${name}-`))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * The demo's origin on 127.0.0.1:0, and `answered`: one entry per response as it is sent
 * (onSend), with the request headers the tests look at and the request's HTTP version.
 */
async function startDemo (t, options = {}) {
  const app = buildDemo({ ...TIMING, ...options })
  const answered = []
  app.addHook('onSend', async (request, reply) => {
    answered.push({
      method: request.method,
      url: request.url,
      httpVersion: request.raw.httpVersion,
      range: request.headers.range,
      lastEventId: request.headers['last-event-id'],
      statusCode: reply.statusCode,
      contentRange: reply.getHeader('content-range')
    })
  })
  // `http://127.0.0.1:port`, or `https://` with TLS.
  const origin = await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => app.close())
  return { answered, origin }
}

/**
 * A fresh Chromium profile per test file. `errors` collects console errors and uncaught page
 * errors from every page the tests open.
 */
async function launchBrowser (t, options = {}) {
  const context = await chromium.launchPersistentContext(tempDir(t, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    ...options
  })
  // Closed before the server, whose close waits for the page's open event stream to end.
  t.teardown(() => context.close())
  const errors = []
  context.on('console', (message) => { if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`) })
  context.on('weberror', (error) => errors.push(`page error: ${error.error().message}`))
  return { context, errors }
}

/** A page of the context, closed at the end of the test. */
async function openPage (t, context) {
  const page = await context.newPage()
  t.teardown(() => page.close())
  return page
}

/** A self-signed certificate for 127.0.0.1, made with the openssl command. */
function selfSignedCertificate (t) {
  const dir = tempDir(t, 'tls')
  const key = path.join(dir, 'key.pem')
  const cert = path.join(dir, 'cert.pem')
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert
  ], { stdio: 'ignore' })
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) }
}

module.exports = { launchBrowser, openPage, selfSignedCertificate, startDemo, tempDir }
