'use strict'
// Runs one documentation snippet as a program (see readme-snippets.test.js):
//   node test/snippet-runner.js <snippet file> <report file> [probe]
// Every Fastify app the snippet creates is tracked: its `listen` goes to 127.0.0.1 on a free port
// whatever the snippet asks for, an app the snippet does not start is started the same way, then,
// with `probe`, each of its GET routes is requested once over HTTP (path parameters and wildcards
// filled with `x`) and the status written to the report; the apps are closed at the end. Anything
// the snippet throws or rejects with fails the run (exit code 1).
const fs = require('node:fs')
const http = require('node:http')
const Module = require('node:module')
const path = require('node:path')
const { pathToFileURL } = require('node:url')

const [snippet, reportFile, mode] = process.argv.slice(2)
const LOOPBACK = { port: 0, host: '127.0.0.1' }
// A bound on a request that never answers, so that a hanging route fails the run instead of the suite.
const REQUEST_LIMIT_MS = 10000

/** Fastify's factory, as the snippet will load it, replaced by one that tracks the apps it makes. */
function trackFastify () {
  const id = require.resolve('fastify', { paths: [path.dirname(snippet)] })
  const fastify = require(id)
  const apps = []
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
  return apps
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

async function main () {
  const apps = trackFastify()
  // A block that extends `Response` without importing it would silently get fetch's: gone, it fails.
  delete globalThis.Response
  await import(pathToFileURL(snippet).href)
  const report = []
  for (const entry of apps) {
    if (entry.closed) continue
    if (entry.listening === undefined) await entry.app.listen(LOOPBACK)
    else await entry.listening
    if (mode === 'probe') {
      const { port } = entry.app.server.address()
      for (const route of entry.routes.filter((route) => isGet(route.method))) {
        const url = probePath(route.url)
        report.push({ url: route.url, status: await probe(port, url) })
      }
    }
    await entry.app.close()
  }
  fs.writeFileSync(reportFile, JSON.stringify(report))
}

main().then(() => process.exit(0), (err) => {
  console.error(err)
  process.exit(1)
})
