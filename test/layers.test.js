'use strict'
// The layers: the pure modules (HTTP formats, JSON, stream sources, the file plan, the shared
// helpers) load neither Fastify nor the file system, directly or through what they load.
const t = require('tap')
const fs = require('node:fs')
const path = require('node:path')
const Module = require('node:module')

const dist = path.join(__dirname, '..', 'dist')
const pure = [
  ...['http', 'json', 'stream', 'lib'].flatMap((folder) => fs.readdirSync(path.join(dist, folder))
    .filter((name) => name.endsWith('.js')).map((name) => path.join(folder, name))),
  path.join('file', 'plan.js')
]
const forbidden = new Set(['fastify', 'fastify-plugin', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises'])

/** Every module request made while `file` loads from an empty cache. */
function requestsOf (file) {
  for (const key of Object.keys(require.cache)) if (key.startsWith(dist)) delete require.cache[key]
  const requests = []
  const load = Module._load
  Module._load = function (request, ...rest) {
    requests.push(request)
    return load.call(this, request, ...rest)
  }
  try {
    require(path.join(dist, file))
  } finally {
    Module._load = load
  }
  return requests
}

t.test('pure modules load neither Fastify nor the file system', async (t) => {
  t.ok(pure.length > 20, `${pure.length} modules checked`)
  for (const file of pure) {
    const requests = requestsOf(file)
    t.same(requests.filter((request) => forbidden.has(request)), [], file)
  }
})

t.test('the check sees what a module loads', async (t) => {
  t.ok(requestsOf(path.join('file', 'system.js')).includes('node:fs'), 'file/system.js loads node:fs')
  t.ok(requestsOf(path.join('file', 'plan.js')).includes('../http/range.js'), 'file/plan.js loads the range parser')
})
