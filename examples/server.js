'use strict'
// The demo on http://127.0.0.1:3000 (`npm start`): one page that calls every response class.
const { buildDemo } = require('./app.js')

const app = buildDemo({ logger: true })
app.listen({ port: 3000, host: '127.0.0.1' }).catch((err) => {
  app.log.error(err)
  process.exit(1)
})
