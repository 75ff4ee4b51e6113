'use strict'
// The type tests once more with exactOptionalPropertyTypes, as projects that turn it on compile
// them: `npm run test:types` compiles them without it.
const t = require('tap')
const { execFile } = require('node:child_process')
const { promisify } = require('node:util')
const path = require('node:path')

// A full tsc run takes seconds, more on a loaded machine: more than tap's default limit per file.
t.setTimeout(120000)

t.test('the type tests compile with exactOptionalPropertyTypes', async (t) => {
  const tsc = require.resolve('typescript/bin/tsc')
  // tsc prints its errors on stdout and exits non-zero: both ways, stdout is what to show.
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', 'types/tsconfig.exact.json'], { cwd: path.join(__dirname, '..') }).catch((err) => err)
  t.equal(result.stdout, '', 'no type errors')
})
