'use strict'
// neostandard, the Fastify ecosystem's style, with TypeScript support for plugin/ and types/.
module.exports = require('neostandard')({
  ts: true,
  ignores: ['dist/**', 'coverage/**', '.tap/**']
})
