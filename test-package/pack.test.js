'use strict'
// The package as npm publishes it: `npm pack` of the built tree, the tarball installed into a
// scratch app with the lowest fastify of the peer range, then a strict TypeScript file of each
// module format compiled against it and run. The install downloads from the npm registry what
// npm's cache lacks (fastify, typescript, @types/node and the package's dependencies), so this
// is kept out of `npm test`: `npm run test:package` builds first, then runs it.
const { execFile } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { promisify } = require('node:util')
const t = require('tap')

const run = promisify(execFile)
const root = path.join(__dirname, '..')
const manifest = require('../package.json')
// The peer range is a caret range: its lowest version is the one it names.
const lowestFastify = manifest.peerDependencies.fastify.replace(/^\^/, '')

const esmSource = `
import Fastify from 'fastify'
import fastifyResponses, { HTMLResponse } from 'fastify-responses'

const app = Fastify()
await app.register(fastifyResponses)
app.get('/', (_request, reply) => reply.htmlResponse('<p>esm</p>'))
app.get('/instance', () => new HTMLResponse('<p>instance</p>', { statusCode: 201 }))
const page = await app.inject('/')
const instance = await app.inject('/instance')
await app.close()
console.log(JSON.stringify({
  fastify: app.version,
  page: [page.statusCode, page.headers['content-type'], page.body],
  instance: [instance.statusCode, instance.body]
}))
`

const cjsSource = `
import Fastify = require('fastify')
import fastifyResponses = require('fastify-responses')

async function main (): Promise<void> {
  const app = Fastify()
  await app.register(fastifyResponses)
  app.get('/', (_request, reply) => reply.htmlResponse('<p>cjs</p>'))
  app.get('/instance', () => new fastifyResponses.HTMLResponse('<p>instance</p>', { statusCode: 201 }))
  const page = await app.inject('/')
  const instance = await app.inject('/instance')
  await app.close()
  console.log(JSON.stringify({
    fastify: app.version,
    page: [page.statusCode, page.headers['content-type'], page.body],
    instance: [instance.statusCode, instance.body]
  }))
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
`

const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    // The package's declarations are checked too, against this fastify's.
    skipLibCheck: false,
    types: ['node'],
    outDir: 'out'
  },
  files: ['esm.mts', 'cjs.cts']
}

function expected (format) {
  return {
    fastify: lowestFastify,
    page: [200, 'text/html; charset=utf-8', `<p>${format}</p>`],
    instance: [201, '<p>instance</p>']
  }
}

t.test(`npm pack, installed with fastify@${lowestFastify} (downloads from the npm registry), compiled by strict TypeScript and run as ESM and CommonJS`, async (t) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fastify-responses-pack-'))
  t.teardown(() => fs.rmSync(scratch, { recursive: true, force: true }))

  // dist/ is built by the script's pretest step: packing without scripts leaves it as it is.
  const { stdout: packed } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: root })
  const [pack] = JSON.parse(packed)
  const files = pack.files.map((file) => file.path).sort()
  t.comment(`npm pack: ${pack.filename}, ${files.length} files\n${files.join('\n')}`)

  for (const file of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'types/index.d.ts']) t.ok(files.includes(file), `packed: ${file}`)
  t.same(files.filter((file) => /^(test|test-package|bench|examples|\.ci)\//.test(file)), [], 'no tests, benchmarks or examples')
  // Each source map's sources are in the package, so stack traces and debuggers find them.
  const maps = files.filter((file) => file.endsWith('.js.map'))
  t.equal(maps.length, files.filter((file) => file.startsWith('dist/') && file.endsWith('.js')).length, 'a map per compiled file')
  const missing = maps.flatMap((map) => JSON.parse(fs.readFileSync(path.join(root, map), 'utf8')).sources
    .map((source) => path.posix.join(path.posix.dirname(map), source))
    .filter((source) => !files.includes(source)))
  t.same(missing, [], 'every source a map names is packed')

  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ private: true }))
  fs.writeFileSync(path.join(scratch, 'tsconfig.json'), JSON.stringify(tsconfig))
  fs.writeFileSync(path.join(scratch, 'esm.mts'), esmSource)
  fs.writeFileSync(path.join(scratch, 'cjs.cts'), cjsSource)
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', path.join(scratch, pack.filename),
    `fastify@${lowestFastify}`, 'typescript@6', '@types/node@20'], { cwd: scratch })

  const tsc = path.join(scratch, 'node_modules', 'typescript', 'bin', 'tsc')
  const compiled = await run(process.execPath, [tsc, '-p', scratch], { cwd: scratch }).then(() => '', (err) => err.stdout + err.stderr)
  t.equal(compiled, '', 'compiles without errors')
  if (compiled !== '') return

  const esm = await run(process.execPath, [path.join(scratch, 'out', 'esm.mjs')], { cwd: scratch })
  t.same(JSON.parse(esm.stdout), expected('esm'), 'ESM: import')
  const cjs = await run(process.execPath, [path.join(scratch, 'out', 'cjs.cjs')], { cwd: scratch })
  t.same(JSON.parse(cjs.stdout), expected('cjs'), 'CommonJS: require')
})
