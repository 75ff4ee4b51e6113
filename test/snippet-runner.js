'use strict'
// Runs documentation snippets as programs, one after another (see readme-snippets.test.js):
//   node test/snippet-runner.js <report file> <snippet file>[:probe] ...
// Every Fastify app a snippet creates is tracked: its `listen` goes to 127.0.0.1 on a free port
// whatever the snippet asks for, an app the snippet does not start is started the same way, then,
// for a snippet marked `:probe`, each of its GET routes is requested once over HTTP (path
// parameters and wildcards filled with `x`); its apps are closed before the next snippet runs.
// The report holds, per snippet, the statuses and the first error it threw or rejected with.
const fs = require('node:fs')
const http = require('node:http')
const Module = require('node:module')
const path = require('node:path')
const { pathToFileURL } = require('node:url')

const [reportFile, ...snippets] = process.argv.slice(2)
const LOOPBACK = { port: 0, host: '127.0.0.1' }
// A bound on a request that never answers, so that a hanging route fails its snippet instead of the suite.
const REQUEST_LIMIT_MS = 10000

/** The apps of the snippet running now. */
let apps = []

/** Fastify's factory, as the snippets load it, replaced by one that tracks the apps it makes. */
function trackFastify (dir) {
  const id = require.resolve('fastify', { paths: [dir] })
  const fastify = require(id)
  function trackedFastify (...args) {
    const app = fastify(...args)
    const entry = { app, routes: [], listening: undefined, closed: false }
    apps.push(entry)
    app.addHook('onRoute', (route) => { entry.routes.push(route) })
    const { listen, close } = app
    app.listen = function (options, callback) {
      if (typeof options === 'function') [options, callback] = [{}, options]
      const { path: _socket, ...rest } = options ?? {}
      const forced = { ...rest, ...LOOPBACK }
      if (callback === undefined) {
        entry.listening = listen.call(app, forced)
        return entry.listening
      }
      entry.listening = new Promise((resolve, reject) => {
        listen.call(app, forced, (err, address) => {
          if (err) reject(err)
          else resolve(address)
          callback(err, address)
        })
      })
      return undefined
    }
    app.close = function (...args) {
      entry.closed = true
      return close.apply(app, args)
    }
    return app
  }
  Object.assign(trackedFastify, fastify, { default: trackedFastify, fastify: trackedFastify })
  // A fresh cache entry: the ESM loader takes the exports a module had when it finished loading,
  // so replacing them on fastify's own entry would reach require() only.
  const entry = new Module(id)
  Object.assign(entry, { filename: id, paths: Module._nodeModulePaths(path.dirname(id)), exports: trackedFastify, loaded: true })
  require.cache[id] = entry
}

/** The path of a route with its parameters filled in: `/files/:name/*` → `/files/x/x`. */
function probePath (url) {
  return url.replace(/:[A-Za-z0-9_]+/g, 'x').replace(/\*/g, 'x')
}

/** The status of one GET, read from the response head; the body is not waited for (a stream may be endless). */
function probe (port, url) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: url, agent: false }, (res) => {
      res.destroy()
      resolve(res.statusCode)
    })
    req.setTimeout(REQUEST_LIMIT_MS, () => req.destroy(new Error(`GET ${url} got no response head`)))
    req.on('error', reject)
  })
}

function isGet (method) {
  return Array.isArray(method) ? method.includes('GET') : method === 'GET'
}

/** Runs one snippet; resolves with the statuses of its probed routes. */
async function runSnippet (file, probing) {
  await import(pathToFileURL(file).href)
  const statuses = []
  for (const entry of apps) {
    if (entry.closed) continue
    if (entry.listening === undefined) await entry.app.listen(LOOPBACK)
    else await entry.listening
    if (probing) {
      const { port } = entry.app.server.address()
      for (const route of entry.routes.filter((route) => isGet(route.method))) {
        statuses.push({ url: route.url, status: await probe(port, probePath(route.url)) })
      }
    }
  }
  return statuses
}

async function closeApps () {
  for (const entry of apps) {
    if (!entry.closed) await entry.app.close()
  }
  apps = []
}

async function main () {
  trackFastify(path.dirname(snippets[0]))
  // A block that extends `Response` without importing it would silently get fetch's: gone, it fails.
  delete globalThis.Response
  const report = {}
  let current
  // What a snippet's own async work throws after its top level is its error too.
  const record = (err) => { if (current !== undefined) current.error ??= String(err?.stack ?? err) }
  process.on('uncaughtException', record)
  process.on('unhandledRejection', record)
  for (const argument of snippets) {
    const probing = argument.endsWith(':probe')
    const file = probing ? argument.slice(0, -':probe'.length) : argument
    current = report[path.basename(file)] = { statuses: [] }
    try {
      current.statuses = await runSnippet(file, probing)
    } catch (err) {
      record(err)
    }
    try {
      await closeApps()
    } catch (err) {
      record(err)
    }
  }
  fs.writeFileSync(reportFile, JSON.stringify(report))
}

main().then(() => process.exit(0), (err) => {
  console.error(err)
  process.exit(1)
})
