'use strict'
// One scenario side's server, in its own process (pinned to the server core by the harness):
// builds the side's app, listens on 127.0.0.1:0 (or starts the side's own server), reports the
// port over IPC and answers RSS questions. Usage (by the harness only): node bench/server.js <scenario file> <case> <side>.
const http = require('node:http')
const net = require('node:net')
const { findSide } = require('./scenario')

async function listen (app) {
  // A server the side started itself (nginx): stopped when this process ends, SIGTERM included.
  if (typeof app.port === 'number' && typeof app.close === 'function') {
    process.on('exit', () => app.close())
    process.once('SIGTERM', () => process.exit(0))
    return app.port
  }
  // A Fastify app, over HTTP/1.1 or HTTP/2.
  if (app.server instanceof net.Server) {
    await app.listen({ port: 0, host: '127.0.0.1' })
    return app.server.address().port
  }
  // Express, or any (req, res) handler.
  const server = http.createServer(app)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return server.address().port
}

async function main () {
  const [file, caseName, sideName] = process.argv.slice(2)
  const context = JSON.parse(process.env.BENCH_CONTEXT ?? 'null')
  const side = findSide(require(file), caseName, sideName)
  const port = await listen(await side.server(context))
  process.on('message', (message) => {
    if (message === 'rss') process.send({ rss: process.memoryUsage.rss() })
  })
  process.on('disconnect', () => process.exit(0))
  process.send({ port })
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
