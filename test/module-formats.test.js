'use strict'
// The package as users load it: CommonJS require() gives the plugin with every export on it,
// ESM gives the plugin as default and the same names.
const t = require('tap')
const { execFile } = require('node:child_process')
const { promisify } = require('node:util')
const path = require('node:path')
const fastifyResponses = require('fastify-responses')

const exportedNames = ['Response', 'HTMLResponse', 'PlainTextResponse', 'JSONResponse', 'RedirectResponse',
  'BackgroundTask', 'BackgroundTasks', 'ResponseHeaders', 'errors', 'fastifyResponses', 'default']

t.test('require() returns the plugin with every export on it', async (t) => {
  t.type(fastifyResponses, 'function')
  for (const name of exportedNames) t.ok(fastifyResponses[name] !== undefined, name)
  t.equal(fastifyResponses.default, fastifyResponses)
  t.equal(fastifyResponses.fastifyResponses, fastifyResponses)
  t.equal(fastifyResponses[Symbol.for('fastify.display-name')], 'fastify-responses')
  t.equal(fastifyResponses[Symbol.for('plugin-meta')].fastify, '5.x')
})

t.test('ESM import gives the plugin as default and the names, in a real child process', async (t) => {
  const script = `
    import fastifyResponses, { HTMLResponse, JSONResponse, errors, BackgroundTasks } from 'fastify-responses'
    import Fastify from 'fastify'
    const app = Fastify()
    await app.register(fastifyResponses)
    app.get('/', () => new HTMLResponse('<p>esm</p>'))
    const res = await app.inject('/')
    console.log(JSON.stringify({
      body: res.body,
      type: res.headers['content-type'],
      json: typeof JSONResponse,
      tasks: typeof BackgroundTasks,
      code: new errors.FST_RESPONSES_INVALID_OPTION('x').code
    }))
  `
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: path.join(__dirname, '..') })
  t.same(JSON.parse(stdout), {
    body: '<p>esm</p>',
    type: 'text/html; charset=utf-8',
    json: 'function',
    tasks: 'function',
    code: 'FST_RESPONSES_INVALID_OPTION'
  })
})

t.test('dynamic import() from CommonJS sees the same objects as require()', async (t) => {
  const esm = await import('fastify-responses')
  t.equal(esm.default, fastifyResponses)
  for (const name of exportedNames.filter((name) => name !== 'default')) t.equal(esm[name], fastifyResponses[name], name)
})
