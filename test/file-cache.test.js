'use strict'
// FileResponse's `cache` option: the store's accounting (never above maxBytes, least recently
// used dropped first), the option's checks, and over HTTP each freshness mode's promise for files
// replaced, truncated, rewritten and deleted, and for symlinks retargeted out of a root.
const t = require('tap')
const fc = require('fast-check')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const Fastify = require('fastify')
const fastifyResponses = require('fastify-responses')
const { FileResponse } = fastifyResponses
const { FileCache, FileCaches, sameFile, isSettled } = require('../dist/file/cache.js')
const { checkFileOptions, DEFAULT_CACHE } = require('../dist/file/options.js')
const { startApp, request, settledDescriptorsOf } = require('./helpers')
const { parseByteranges } = require('./byteranges')

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fr-cache-')))
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))

const entry = (length) => ({ stats: {}, bytes: Buffer.alloc(length), checkedAt: 0 })

t.test('the store drops the least recently used copies to stay within maxBytes', async (t) => {
  const cache = new FileCache(3000, 1500)
  t.equal(cache.set('a', entry(1000)), true)
  t.equal(cache.set('b', entry(1000)), true)
  t.equal(cache.set('c', entry(1000)), true)
  t.equal(cache.bytes, 3000)
  cache.get('a') // now b is the least recently used
  t.equal(cache.set('d', entry(1000)), true)
  t.equal(cache.get('b'), undefined, 'b dropped')
  t.ok(cache.get('a') && cache.get('c') && cache.get('d'))
  t.equal(cache.set('e', entry(1501)), false, 'larger than maxFileSize: not kept')
  t.equal(cache.get('e'), undefined)
  t.equal(cache.set('a', entry(1501)), false, 'a copy grown past maxFileSize replaces nothing')
  t.equal(cache.get('a'), undefined, 'and the old copy is gone')
  t.equal(cache.bytes, 2000)
  t.equal(cache.set('c', entry(200)), true, 'replaced in place')
  t.equal(cache.bytes, 1200)
  cache.delete('c')
  cache.delete('no-such-key')
  t.equal(cache.bytes, 1000)
  t.equal(cache.size, 1)
  cache.clear()
  t.equal(cache.bytes, 0)
  t.equal(cache.size, 0)
})

t.test('property: the store holds what a reference LRU holds, its bytes are their sum and never above maxBytes', async (t) => {
  const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')
  const operation = fc.oneof(
    fc.record({ op: fc.constant('set'), key, length: fc.nat(1200) }),
    fc.record({ op: fc.constant('get'), key }),
    fc.record({ op: fc.constant('delete'), key })
  )
  fc.assert(fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
    const maxBytes = 2500
    const maxFileSize = 1000
    const cache = new FileCache(maxBytes, maxFileSize)
    let model = [] // [key, length], least recent first
    for (const { op, key, length } of operations) {
      if (op === 'get') {
        const found = model.find(([k]) => k === key)
        if ((cache.get(key) !== undefined) !== (found !== undefined)) return false
        if (found !== undefined) model = [...model.filter(([k]) => k !== key), found]
      } else if (op === 'delete') {
        cache.delete(key)
        model = model.filter(([k]) => k !== key)
      } else {
        model = model.filter(([k]) => k !== key)
        if (cache.set(key, entry(length)) !== (length <= maxFileSize)) return false
        if (length <= maxFileSize) {
          while (model.reduce((sum, [, l]) => sum + l, 0) + length > maxBytes) model.shift()
          model.push([key, length])
        }
      }
      const total = model.reduce((sum, [, l]) => sum + l, 0)
      if (cache.bytes !== total || cache.bytes > maxBytes || cache.size !== model.length) return false
    }
    return true
  }), { numRuns: 300 })
  t.pass('300 random sequences')
})

t.test('an app\'s stores: one per (maxBytes, maxFileSize), all emptied at once', async (t) => {
  const caches = new FileCaches()
  const one = caches.for({ maxBytes: 100, maxFileSize: 10, revalidate: 0 })
  t.equal(caches.for({ maxBytes: 100, maxFileSize: 10, revalidate: 5000 }), one, 'freshness is per request, the store is shared')
  t.not(caches.for({ maxBytes: 100, maxFileSize: 20, revalidate: 0 }), one)
  one.set('a', entry(10))
  caches.clear()
  t.equal(one.bytes, 0)
  t.not(caches.for({ maxBytes: 100, maxFileSize: 10, revalidate: 0 }), one, 'a new store after clearing')
})

t.test('the same file: inode, device, size, mtime and ctime to the nanosecond', async (t) => {
  const file = path.join(dir, 'same.txt')
  fs.writeFileSync(file, 'x')
  const stats = fs.statSync(file, { bigint: true })
  t.equal(sameFile(stats, fs.statSync(file, { bigint: true })), true)
  for (const field of ['ino', 'dev', 'size', 'mtimeNs', 'ctimeNs']) {
    t.equal(sameFile(stats, { ...stats, [field]: stats[field] + 1n }), false, `${field} differs`)
  }
})

t.test('a copy is kept only once the file\'s ctime is a timestamp tick older than the read', async (t) => {
  const at = (ms, extraNs = 1n) => ({ ctimeNs: BigInt(ms) * 1_000_000n + extraNs })
  t.equal(isSettled(at(1_700_000_000_000), 1_700_000_000_005), false, '5 ms old: could change again unseen')
  t.equal(isSettled(at(1_700_000_000_000), 1_700_000_000_021), true)
  t.equal(isSettled(at(1_700_000_000_000, 0n), 1_700_000_000_500), false, 'whole seconds: a 2 s tick')
  t.equal(isSettled(at(1_700_000_000_000, 0n), 1_700_000_002_001), true)
})

t.test('the cache option: true for the defaults, false for none, limits checked where given', async (t) => {
  t.same(checkFileOptions({ cache: true }, 'file').cache, DEFAULT_CACHE)
  t.same(DEFAULT_CACHE, { maxBytes: 32 * 1024 * 1024, maxFileSize: 1024 * 1024, revalidate: 0 })
  t.equal(checkFileOptions({ cache: false }, 'file').cache, false)
  t.same(checkFileOptions({ cache: { revalidate: 1000, maxBytes: undefined } }, 'file').cache, { ...DEFAULT_CACHE, revalidate: 1000 })
  const refused = [
    [{ cache: 'yes' }, 'FileResponse.cache must be true, false or { maxBytes, maxFileSize, revalidate }'],
    [{ cache: null }, 'FileResponse.cache must be true, false or { maxBytes, maxFileSize, revalidate }'],
    [{ cache: [] }, 'FileResponse.cache must be true, false or { maxBytes, maxFileSize, revalidate }'],
    [{ cache: { maxbytes: 1 } }, 'FileResponse.cache: unknown option "maxbytes"'],
    [{ cache: { maxBytes: 0 } }, 'FileResponse.cache.maxBytes must be a positive integer of bytes'],
    [{ cache: { maxBytes: 1.5 } }, 'FileResponse.cache.maxBytes must be a positive integer of bytes'],
    [{ cache: { maxBytes: 1000, maxFileSize: 1001 } }, 'FileResponse.cache.maxFileSize must be a positive integer of bytes, at most maxBytes'],
    [{ cache: { maxFileSize: '1' } }, 'FileResponse.cache.maxFileSize must be a positive integer of bytes, at most maxBytes'],
    [{ cache: { revalidate: -1 } }, 'FileResponse.cache.revalidate must be an integer of milliseconds from 0 to 2147483647'],
    [{ cache: { revalidate: 0.5 } }, 'FileResponse.cache.revalidate must be an integer of milliseconds from 0 to 2147483647'],
    [{ cache: { revalidate: 2 ** 31 } }, 'FileResponse.cache.revalidate must be an integer of milliseconds from 0 to 2147483647']
  ]
  for (const [options, message] of refused) {
    t.throws(() => new FileResponse('a.txt', options), { code: 'FST_RESPONSES_INVALID_OPTION', message: 'Invalid option: ' + message }, message)
  }
  await t.rejects(Fastify().register(fastifyResponses, { file: { cache: { revalidate: -1 } } }).ready(),
    { code: 'FST_RESPONSES_INVALID_OPTION', message: 'Invalid option: file.cache.revalidate must be an integer of milliseconds from 0 to 2147483647' })
})

/** Counts fs.open and fs.stat (callback, sync and promise) calls on `file` (the server runs in this process) until the test ends. */
function watchDisk (t, file) {
  const counts = { open: 0, stat: 0 }
  const { open, stat } = fs
  fs.open = function (target, ...rest) {
    if (target === file) counts.open++
    return open.call(this, target, ...rest)
  }
  fs.stat = function (target, ...rest) {
    if (target === file) counts.stat++
    return stat.call(this, target, ...rest)
  }
  const { statSync } = fs
  fs.statSync = function (target, ...rest) {
    if (target === file) counts.stat++
    return statSync.call(this, target, ...rest)
  }
  const promisesStat = fs.promises.stat
  fs.promises.stat = function (target, ...rest) {
    if (target === file) counts.stat++
    return promisesStat.call(this, target, ...rest)
  }
  t.teardown(() => { Object.assign(fs, { open, stat, statSync }); fs.promises.stat = promisesStat })
  return counts
}

/** Requests `url` until a response comes without opening `file`: its copy is then cached. Bounded. */
async function untilCached (t, app, url, counts) {
  for (let i = 0; i < 200; i++) {
    const opened = counts.open
    const res = await request(app, url)
    if (counts.open === opened) return res
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  t.fail(`${url} never came from the cache`)
}

/** Replaces `file` by a new one (a rename: new inode), as deployments do. */
function replace (file, text) {
  fs.writeFileSync(file + '.new', text)
  fs.renameSync(file + '.new', file)
}

const changes = [
  ['replaced', (file) => replace(file, 'second version!'), 'second version!'],
  ['rewritten in place, same size', (file) => fs.writeFileSync(file, 'FIRST VERSION'), 'FIRST VERSION'],
  ['truncated', (file) => fs.truncateSync(file, 5), 'first']
]

t.test('revalidate 0: a replaced, rewritten or truncated file is never served stale', async (t) => {
  for (const [change, apply, expected] of changes) {
    const file = path.join(dir, `revalidated-${changes.findIndex(([name]) => name === change)}.txt`)
    fs.writeFileSync(file, 'first version')
    const counts = watchDisk(t, file)
    const app = await startApp(t, (app) => {
      app.get('/', (request, reply) => reply.fileResponse(file, { cache: { revalidate: 0 } }))
    })
    t.equal((await untilCached(t, app, '/', counts)).text, 'first version')
    const stats = counts.stat
    t.equal((await request(app, '/')).text, 'first version', 'a fresh copy')
    t.equal(counts.stat, stats + 1, 'checked with one stat')
    apply(file)
    const res = await request(app, '/')
    t.equal(res.text, expected, `${change}: the next request has the new bytes`)
    t.equal(res.headers['content-length'], String(expected.length))
    t.equal(res.headers.etag, (await request(app, '/', { headers: { 'cache-control': 'no-cache' } })).headers.etag)
  }
})

t.test('revalidate 0: a deleted file is a 404 at once, and a new one at its path is served', async (t) => {
  const file = path.join(dir, 'deleted.txt')
  fs.writeFileSync(file, 'here')
  const counts = watchDisk(t, file)
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.fileResponse(file))
  }, { pluginOptions: { file: { cache: true } } })
  await untilCached(t, app, '/', counts)
  fs.rmSync(file)
  const gone = await request(app, '/')
  t.equal(gone.status, 404)
  t.equal(gone.headers.etag, undefined)
  fs.writeFileSync(file, 'back')
  t.equal((await request(app, '/')).text, 'back')
})

/** Requests `url` until its body is `expected` (or status `expected` when a number); bounded. */
async function until (t, app, url, expected, forbidden) {
  for (let i = 0; i < 300; i++) {
    const res = await request(app, url)
    if (forbidden !== undefined) t.notOk(res.text.includes(forbidden), 'never the forbidden bytes')
    if (typeof expected === 'number' ? res.status === expected : res.text === expected) return res
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  t.fail(`${url} never answered ${expected}`)
}

t.test('revalidate ms: a copy is trusted that long without touching the disk, then changes are seen', async (t) => {
  const file = path.join(dir, 'timed.txt')
  fs.writeFileSync(file, 'first version')
  const counts = watchDisk(t, file)
  const app = await startApp(t, (app) => {
    app.get('/trusted', (request, reply) => reply.fileResponse(file, { cache: { revalidate: 60_000 } }))
    app.get('/short', (request, reply) => reply.fileResponse(file, { cache: { revalidate: 20 } }))
  })
  await untilCached(t, app, '/trusted', counts)
  const before = { ...counts }
  replace(file, 'second version!')
  const trusted = await request(app, '/trusted')
  t.equal(trusted.text, 'first version', 'the copy, trusted for 60 s')
  t.equal(trusted.headers['content-length'], '13', 'with its own headers')
  t.same(counts, before, 'neither stat nor open')
  for (const [change, apply, expected] of [...changes, ['deleted', (file) => fs.rmSync(file), 404]]) {
    replace(file, 'first version')
    await until(t, app, '/short', 'first version')
    await untilCached(t, app, '/short', counts)
    apply(file)
    await until(t, app, '/short', expected)
    t.pass(`${change}: seen once the copy is older than revalidate`)
  }
})

t.test('a symlink retargeted out of the root: refused at once with revalidate 0, after revalidate ms when timed, never leaking', async (t) => {
  const root = path.join(dir, 'public')
  fs.mkdirSync(root)
  fs.writeFileSync(path.join(root, 'page.txt'), 'public page')
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP-SECRET')
  const link = (name, target) => {
    fs.rmSync(path.join(root, name), { force: true })
    fs.symlinkSync(target, path.join(root, name))
  }
  const app = await startApp(t, (app) => {
    app.get('/stat/*', (request, reply) => reply.fileResponse(request.params['*'], { cache: { revalidate: 0 } }))
    app.get('/short/*', (request, reply) => reply.fileResponse(request.params['*'], { cache: { revalidate: 20 } }))
    app.get('/trusted/*', (request, reply) => reply.fileResponse(request.params['*'], { cache: { revalidate: 60_000 } }))
  }, { pluginOptions: { file: { root } } })
  const counts = watchDisk(t, path.join(root, 'page.txt'))
  for (const [mode, name] of [['stat', 'a.txt'], ['short', 'b.txt'], ['trusted', 'c.txt']]) {
    link(name, path.join(root, 'page.txt'))
    t.equal((await untilCached(t, app, `/${mode}/${name}`, counts)).text, 'public page', `${mode}: through the link`)
    link(name, path.join(dir, 'secret.txt'))
  }
  const stat = await request(app, '/stat/a.txt')
  t.equal(stat.status, 403, 'revalidate 0: the root check runs on every request')
  t.notOk(stat.text.includes('TOP-SECRET'))
  await until(t, app, '/short/b.txt', 403, 'TOP-SECRET')
  t.pass('timed: refused once the copy is older than revalidate')
  t.equal((await request(app, '/trusted/c.txt')).text, 'public page', 'trusted: the checked copy, never the new target')
})

t.test('a fresh copy is served without opening the file, HEAD never opens it, ranges and parts come from the copy', async (t) => {
  const file = path.join(dir, 'hot.txt')
  const content = crypto.randomBytes(5000)
  fs.writeFileSync(file, content)
  const counts = watchDisk(t, file)
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.fileResponse(file))
    app.get('/untagged', (request, reply) => reply.fileResponse(file, { etag: false }))
  }, { pluginOptions: { file: { cache: true } } })
  const head = await request(app, '/', { method: 'HEAD' })
  t.equal(counts.open, 0, 'HEAD, not cached yet: stats only')
  t.equal(head.headers['content-length'], '5000')
  await untilCached(t, app, '/', counts)
  const opened = counts.open
  t.equal((await request(app, '/', { method: 'HEAD' })).headers.etag, head.headers.etag)
  const single = await request(app, '/', { headers: { range: 'bytes=10-19' } })
  t.same(single.body, content.subarray(10, 20))
  const multi = await request(app, '/', { headers: { range: 'bytes=0-1,100-199' } })
  t.same(parseByteranges(multi.headers['content-type'], multi.body).map((part) => part.data), [content.subarray(0, 2), content.subarray(100, 200)])
  t.equal(multi.headers['content-length'], String(multi.body.length))
  // Without the file's ETag a part is streamed (see FileResponse): the same bytes, from the copy.
  const untagged = await request(app, '/untagged', { headers: { range: 'bytes=0-1,100-199' } })
  t.same(parseByteranges(untagged.headers['content-type'], untagged.body).map((part) => part.data), [content.subarray(0, 2), content.subarray(100, 200)])
  t.equal(untagged.headers['content-length'], String(untagged.body.length))
  t.same((await request(app, '/untagged', { headers: { range: 'bytes=4990-' } })).body, content.subarray(4990))
  t.equal(counts.open, opened, 'none of them opened the file')
})

t.test('files above maxFileSize are streamed from disk; the least recently used copy makes room', async (t) => {
  const files = ['a', 'b', 'c', 'big'].map((name) => path.join(dir, `lru-${name}.bin`))
  for (const file of files) fs.writeFileSync(file, crypto.randomBytes(file.endsWith('big.bin') ? 1500 : 1000))
  const counts = Object.fromEntries(files.map((file) => [file, watchDisk(t, file)]))
  const app = await startApp(t, (app) => {
    app.get('/:name', (request, reply) => reply.fileResponse(path.join(dir, `lru-${request.params.name}.bin`), { chunkSize: 100 }))
  }, { pluginOptions: { file: { cache: { maxBytes: 2000, maxFileSize: 1000 } } } })
  const [a, b, c, big] = files
  await untilCached(t, app, '/a', counts[a])
  await untilCached(t, app, '/b', counts[b])
  const bigOpens = counts[big].open
  for (let i = 0; i < 3; i++) t.equal((await request(app, '/big')).body.length, 1500)
  t.equal(counts[big].open, bigOpens + 3, 'too large to keep: opened every time')
  t.equal(await settledDescriptorsOf(big), 0, 'and closed')
  await request(app, '/a') // b is now the least recently used
  await untilCached(t, app, '/c', counts[c])
  const opened = { a: counts[a].open, b: counts[b].open }
  await request(app, '/a')
  t.equal(counts[a].open, opened.a, 'a kept')
  await request(app, '/b')
  t.equal(counts[b].open, opened.b + 1, 'b dropped for c')
  t.equal(await settledDescriptorsOf(b), 0, 'a copy read from disk closes its descriptor')
})

t.test('the cache is the app\'s: another app has its own, and closing the app empties it', async (t) => {
  const file = path.join(dir, 'per-app.txt')
  fs.writeFileSync(file, 'one')
  const counts = watchDisk(t, file)
  const options = { pluginOptions: { file: { cache: { revalidate: 60_000 } } } }
  const route = (app) => app.get('/', (request, reply) => reply.fileResponse(file))
  const first = await startApp(t, route, options)
  await untilCached(t, first, '/', counts)
  replace(file, 'two')
  const second = await startApp(t, route, options)
  t.equal((await request(second, '/')).text, 'two', 'the other app reads the file')
  t.equal((await request(first, '/')).text, 'one', 'this app keeps its copy')
  const state = first[Object.getOwnPropertySymbols(first).find((symbol) => symbol.description === 'fastify-responses.state')]
  const store = state.fileCaches.for({ maxBytes: DEFAULT_CACHE.maxBytes, maxFileSize: DEFAULT_CACHE.maxFileSize })
  t.equal(store.size, 1)
  await first.close()
  t.equal(store.size, 0, 'emptied on close')
  t.equal(store.bytes, 0)
})

t.test('given stats, or cache: false, bypass the cache', async (t) => {
  const file = path.join(dir, 'given.txt')
  fs.writeFileSync(file, 'given')
  const stat = fs.statSync(file)
  const counts = watchDisk(t, file)
  const app = await startApp(t, (app) => {
    app.get('/given', (request, reply) => reply.fileResponse(file, { stat }))
    app.get('/off', (request, reply) => reply.fileResponse(file, { cache: false }))
  }, { pluginOptions: { file: { cache: { revalidate: 60_000 } } } })
  for (const url of ['/given', '/off']) {
    const opened = counts.open
    for (let i = 0; i < 3; i++) t.equal((await request(app, url)).text, 'given')
    t.equal(counts.open, opened + 3, `${url}: opened on every request`)
  }
})
