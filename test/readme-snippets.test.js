'use strict'
// Every code block of README.md and docs/*.md runs as written. A ```js block is a program: CommonJS
// when it calls require(), an ES module otherwise; each is written to a scratch folder inside the
// repository, so `fastify-responses` resolves to this package (its own name, through "exports"),
// and run by test/snippet-runner.js in a child process (one per document): its apps listen on 127.0.0.1 on a free
// port (whatever port the block names), every GET route is requested once and must not answer
// 5xx, and anything thrown fails the test. ```ts blocks are compiled together, strict, against
// types/index.d.ts (one tsc run). Markers, on the line before a block:
//   <!-- not runnable: reason -->   the block is skipped (an excerpt, a fragment of a larger file)
//   <!-- not probed: reason -->     the block runs, but its routes are not requested
const t = require('tap')
const fs = require('node:fs')
const path = require('node:path')
const { execFile } = require('node:child_process')
const { promisify } = require('node:util')

const run = promisify(execFile)
const root = path.join(__dirname, '..')
const runner = path.join(__dirname, 'snippet-runner.js')
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
// The blocks run as a user's program would: without tap's loaders and coverage, which the suite's
// own tests measure (and which would make every child several times slower to start).
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TAP|_TAPJS|NODE_OPTIONS$|NODE_V8_COVERAGE$)/.test(name)))

const JS = new Set(['js', 'javascript', 'mjs', 'cjs'])
const TS = new Set(['ts', 'typescript', 'mts', 'cts'])
const MARKER = /^<!--\s*(not runnable|not probed):\s*(\S.*?)\s*-->$/

/** The fenced code blocks of a Markdown file: language, code, line of the opening fence, marker. */
function codeBlocks (file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n')
  const blocks = []
  let open
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(`{3,})(\S*)\s*$/.exec(lines[i])
    if (open === undefined) {
      if (fence === null) continue
      let before = i - 1
      while (before >= 0 && lines[before].trim() === '') before--
      const comment = before >= 0 && lines[before].trim().startsWith('<!--') ? lines[before].trim() : undefined
      const marker = comment === undefined ? null : MARKER.exec(comment)
      open = { fence: fence[2], lang: fence[3].toLowerCase(), line: i + 1, body: [], comment, marker: marker?.[1], reason: marker?.[2] }
    } else if (fence !== null && fence[2] === open.fence && fence[3] === '') {
      const { lang, line, comment, marker, reason } = open
      blocks.push({ file: path.relative(root, file), lang, line, code: open.body.join('\n') + '\n', comment, marker, reason })
      open = undefined
    } else {
      open.body.push(lines[i])
    }
  }
  return blocks
}

function documents () {
  const docs = path.join(root, 'docs')
  const files = [path.join(root, 'README.md')]
  if (fs.existsSync(docs)) files.push(...fs.readdirSync(docs).filter((name) => name.endsWith('.md')).sort().map((name) => path.join(docs, name)))
  return files
}

/** A file name that says where the block comes from: `docs-files.md-42.mjs`. */
function fileNameOf (block, extension) {
  return `${block.file.replaceAll('/', '-')}-${block.line}.${extension}`
}

const usesRequire = (code) => /\brequire\(/.test(code)

const blocks = documents().flatMap(codeBlocks)
const runnable = blocks.filter((block) => block.marker !== 'not runnable')
const jsBlocks = runnable.filter((block) => JS.has(block.lang))
const tsBlocks = runnable.filter((block) => TS.has(block.lang))

// Inside the repository (so the package resolves by its name), under .tap/, which git and the linter ignore.
fs.mkdirSync(path.join(root, '.tap'), { recursive: true })
const scratch = fs.mkdtempSync(path.join(root, '.tap', 'snippets-'))
t.teardown(() => fs.rmSync(scratch, { recursive: true, force: true }))
// A child process per document and one tsc run, a few at a time.
t.setTimeout(180000)
t.jobs = 3

t.test('the documents have runnable blocks, and a comment before a block is a marker with its reason', async (t) => {
  t.ok(jsBlocks.some((block) => block.file === 'README.md'), 'README.md has JavaScript blocks')
  t.ok(tsBlocks.length > 0, 'there are TypeScript blocks')
  for (const block of blocks.filter((block) => block.comment !== undefined)) {
    t.ok(block.marker !== undefined, `${block.file}:${block.line}: ${block.comment}`)
  }
})

// First: the one tsc run is the longest job.
t.test('the TypeScript blocks compile under strict against the package types', async (t) => {
  const files = tsBlocks.map((block) => {
    const name = fileNameOf(block, usesRequire(block.code) ? 'cts' : 'mts')
    fs.writeFileSync(path.join(scratch, name), block.code)
    return name
  })
  fs.writeFileSync(path.join(scratch, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, types: ['node'] },
    files
  }))
  try {
    await run(process.execPath, [tsc, '-p', path.join(scratch, 'tsconfig.json')], { cwd: scratch, env })
    t.pass(`${files.length} blocks compile`)
  } catch (err) {
    t.fail(`tsc: ${err.stdout || err.message}`)
  }
})

// One child process per document, its blocks run one after another (each one's apps closed before
// the next): what a block leaves behind cannot reach another document's.
for (const file of [...new Set(jsBlocks.map((block) => block.file))]) {
  const ownBlocks = jsBlocks.filter((block) => block.file === file)
  t.test(`${file}: every JavaScript block runs as written`, async (t) => {
    const report = path.join(scratch, fileNameOf({ file, line: 'report' }, 'json'))
    const names = ownBlocks.map((block) => fileNameOf(block, usesRequire(block.code) ? 'cjs' : 'mjs'))
    ownBlocks.forEach((block, i) => fs.writeFileSync(path.join(scratch, names[i]), block.code))
    const snippets = ownBlocks.map((block, i) => path.join(scratch, names[i]) + (block.marker === 'not probed' ? '' : ':probe'))
    await run(process.execPath, [runner, report, ...snippets], { cwd: scratch, env, timeout: 120000 })
    const results = JSON.parse(fs.readFileSync(report, 'utf8'))
    ownBlocks.forEach((block, i) => {
      const where = `${block.file}:${block.line}`
      const { error, statuses } = results[names[i]]
      t.equal(error, undefined, `${where} runs without an error`)
      for (const { url, status } of statuses) t.ok(status < 500, `${where}: GET ${url} answered ${status}`)
    })
  })
}
