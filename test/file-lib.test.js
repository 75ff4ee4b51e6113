'use strict'
// The pure modules behind FileResponse, tested on their own.
const t = require('tap')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { pythonFloatRepr, pythonMtime, starletteEtag, mtimeSeconds } = require('../dist/http/etag.js')
const { contentDisposition } = require('../dist/http/content-disposition.js')
const { parseRange, mergeRanges } = require('../dist/http/range.js')
const { evaluatePreconditions, ifRangeMatches } = require('../dist/http/preconditions.js')
const { multipartByteranges } = require('../dist/http/multipart.js')
const { checkFileOptions, cacheControlFor } = require('../dist/file/options.js')
const { toFileError, resolveUnderRoot, openFile, statFile } = require('../dist/file/system.js')
const { FileSegmentsStream, readSegments } = require('../dist/file/body.js')
const { errors } = require('fastify-responses')
const { bytesOf } = require('./byteranges')

t.test('pythonFloatRepr prints floats as Python repr does', async (t) => {
  // Outputs of CPython 3.11 `repr(sec + nsec * 1e-9)` for these (sec, nsec) pairs.
  const cases = [
    [1700000000 + 123456789 * 1e-9, '1700000000.1234567'],
    [1700000000, '1700000000.0'],
    [1700000000 + 500000000 * 1e-9, '1700000000.5'],
    [1700000000 + 123456000 * 1e-9, '1700000000.123456'],
    [0, '0.0'],
    [10000 * 1e-9, '1e-05'],
    [1 + 1e-9, '1.000000001'],
    [-1 + 999999999 * 1e-9, '-9.999999717180685e-10'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1e22, '1e+22'],
    [1.23e-5, '1.23e-05'],
    [0.0001, '0.0001'],
    [1e15, '1000000000000000.0'],
    [99999999999 + 999999999 * 1e-9, '100000000000.0']
  ]
  for (const [value, python] of cases) t.equal(pythonFloatRepr(value), python, python)
})

t.test('pythonMtime is CPython st_mtime, exact from BigIntStats', async (t) => {
  t.equal(pythonMtime({ mtimeMs: 1700000000123n, mtimeNs: 1700000000123456789n }), 1700000000 + 123456789 * 1e-9)
  t.equal(pythonMtime({ mtimeMs: -1n, mtimeNs: -1n }), -1 + 999999999 * 1e-9, 'times before 1970 floor the seconds')
  t.equal(pythonMtime({ mtimeMs: -1000n, mtimeNs: -1000000000n }), -1)
  t.equal(pythonMtime({ mtimeMs: 1700000000500 }), 1700000000.5, 'Stats: from mtimeMs')
  t.equal(mtimeSeconds({ mtimeMs: 1700000000999 }), 1700000000)
})

t.test('starletteEtag is md5 of "<python mtime>-<size>" in quotes', async (t) => {
  const stats = { mtimeMs: 1700000000123n, mtimeNs: 1700000000123456789n, size: 11n }
  t.equal(starletteEtag(stats), '"4902d0e10458a07a0bfd68a8d2992afc"', 'md5("1700000000.1234567-11") as Python computes it')
  const expected = crypto.createHash('md5').update('1700000000.0-3').digest('hex')
  t.equal(starletteEtag({ mtimeMs: 1700000000000, size: 3 }), `"${expected}"`)
})

t.test('starletteEtag stays right past its cache bound', async (t) => {
  const md5 = (text) => '"' + crypto.createHash('md5').update(text).digest('hex') + '"'
  for (let i = 0; i < 1100; i++) {
    if (starletteEtag({ mtimeMs: i * 1000, size: 7 }) !== md5(`${i}.0-7`)) t.fail(`mtime ${i}`)
  }
  t.equal(starletteEtag({ mtimeMs: 5000, size: 7 }), md5('5.0-7'), 'an entry dropped when the cache started over')
  t.equal(starletteEtag({ mtimeMs: 5000, size: 8 }), md5('5.0-8'), 'size is part of the key')
})

t.test('content-disposition: plain names as Starlette, others with a fallback and RFC 8187', async (t) => {
  t.equal(contentDisposition('attachment', 'example.png'), 'attachment; filename="example.png"')
  t.equal(contentDisposition('inline', 'example.png'), 'inline; filename="example.png"')
  t.equal(contentDisposition('attachment', '你好.txt'), 'attachment; filename="__.txt"; filename*=utf-8\'\'%E4%BD%A0%E5%A5%BD.txt')
  t.equal(contentDisposition('attachment', 'café.txt'), 'attachment; filename="cafe.txt"; filename*=utf-8\'\'caf%C3%A9.txt')
  t.equal(contentDisposition('attachment', 'a "b"\r\nX-Evil: 1.txt'),
    'attachment; filename="a _b___X-Evil: 1.txt"; filename*=utf-8\'\'a%20%22b%22%0D%0AX-Evil%3A%201.txt')
  t.equal(contentDisposition('attachment', 'a\\b%.txt'), 'attachment; filename="a_b_.txt"; filename*=utf-8\'\'a%5Cb%25.txt')
  t.equal(contentDisposition('attachment', 'x\ud800.txt'), 'attachment; filename="x_.txt"; filename*=utf-8\'\'x%EF%BF%BD.txt', 'a lone surrogate is U+FFFD')
  t.equal(contentDisposition('attachment', 'a/b\x01.txt'), 'attachment; filename="a/b_.txt"; filename*=utf-8\'\'a%2Fb%01.txt')
})

t.test('parseRange follows Starlette 1.5 with the RFC correction', async (t) => {
  const r = (header, size = 100, max = 100) => parseRange(header, size, max)
  const ranges = (...pairs) => ({ ranges: pairs.map(([start, end]) => ({ start, end })) })
  t.same(r('bytes=0-9'), ranges([0, 9]))
  t.same(r(' BYTES = 5-5'), ranges([5, 5]), 'unit trimmed, any case; one byte')
  t.same(r('bytes=90-'), ranges([90, 99]))
  t.same(r('bytes=95-200'), ranges([95, 99]), 'end clamped')
  t.same(r('bytes=-10'), ranges([90, 99]), 'suffix')
  t.same(r('bytes=-1000'), ranges([0, 99]), 'suffix longer than the file clamps')
  t.same(r('bytes=50-59, 0-9,, -, 7, a-b, 1-x,  20 - 29 '), ranges([0, 9], [20, 29], [50, 59]),
    'empty, dash-less, non-numeric parts skipped; ascending')
  t.same(r('bytes=0-10,5-20,21-30,40-50'), ranges([0, 30], [40, 50]), 'overlapping and adjacent merged')
  t.same(r('bytes=0-1,200-300'), ranges([0, 1]), 'parts past the end are dropped (RFC 9110)')
  t.same(r('bytes=99999999999999999999999-,0-0'), ranges([0, 0]), 'huge numbers are past the end')
  t.same(r('bytes=0-99999999999999999999999'), ranges([0, 99]))

  t.same(r('bytes'), { malformed: 'Malformed range header.' })
  t.same(r('items=0-1'), { malformed: 'Only support bytes range' })
  t.same(r('bytes='), { malformed: 'Range header: range must be requested' })
  t.same(r('bytes=-,x,'), { malformed: 'Range header: range must be requested' })
  t.same(r('bytes=5-4'), { malformed: 'Range header: start must be less than end' })
  t.same(r('bytes=100-0', 200), { malformed: 'Range header: start must be less than end' })
  t.same(r('bytes=100-0'), { unsatisfiable: true }, 'past the end comes first')
  t.same(r('bytes=100-,-0'), { unsatisfiable: true })
  t.same(r('bytes=0-', 0), { unsatisfiable: true }, 'an empty file satisfies no range')

  const hundred = Array.from({ length: 100 }, (_, i) => `${i}-${i}`).join(',')
  t.same(r('bytes=' + hundred), ranges([0, 99]), '100 parts are served')
  t.same(r('bytes=' + hundred + ',0-0'), { ignored: true }, '101 parts: the header is ignored')
  t.same(r('bytes=0-0' + ','.repeat(100)), { ignored: true }, 'empty parts count too')
  t.same(r('bytes=0-0,2-2', 100, 2), ranges([0, 0], [2, 2]))
})

t.test('mergeRanges sorts and merges without touching its input', async (t) => {
  const input = [{ start: 10, end: 12 }, { start: 0, end: 3 }, { start: 4, end: 5 }, { start: 11, end: 11 }]
  t.same(mergeRanges(input), [{ start: 0, end: 5 }, { start: 10, end: 12 }])
  t.same(input[0], { start: 10, end: 12 })
})

t.test('preconditions in RFC 9110 §13.2.2 order', async (t) => {
  const v = { etag: '"abc"', lastModified: 'Tue, 14 Nov 2023 22:13:20 GMT' }
  const before = 'Tue, 14 Nov 2023 22:13:19 GMT'
  const after = 'Tue, 14 Nov 2023 22:13:21 GMT'
  const table = [
    [{}, 'GET', 'proceed'],
    [{ 'if-match': '"abc"' }, 'GET', 'proceed'],
    [{ 'if-match': '"x", "abc"' }, 'PUT', 'proceed'],
    [{ 'if-match': '*' }, 'GET', 'proceed'],
    [{ 'if-match': 'W/"abc"' }, 'GET', 412],
    [{ 'if-match': '"x"' }, 'GET', 412],
    [{ 'if-match': 'garbage' }, 'GET', 412],
    [{ 'if-match': '"abc"', 'if-unmodified-since': before }, 'GET', 'proceed'],
    [{ 'if-unmodified-since': before }, 'GET', 412],
    [{ 'if-unmodified-since': v.lastModified }, 'GET', 'proceed'],
    [{ 'if-unmodified-since': 'not a date' }, 'GET', 'proceed'],
    [{ 'if-none-match': '"abc"' }, 'GET', 304],
    [{ 'if-none-match': 'W/"abc"' }, 'HEAD', 304],
    [{ 'if-none-match': '"x", W/"abc"' }, 'GET', 304],
    [{ 'if-none-match': '*' }, 'GET', 304],
    [{ 'if-none-match': '"abc"' }, 'POST', 412],
    [{ 'if-none-match': '"x"' }, 'GET', 'proceed'],
    [{ 'if-none-match': '"x"', 'if-modified-since': after }, 'GET', 'proceed'],
    [{ 'if-modified-since': v.lastModified }, 'GET', 304],
    [{ 'if-modified-since': after }, 'HEAD', 304],
    [{ 'if-modified-since': before }, 'GET', 'proceed'],
    [{ 'if-modified-since': after }, 'POST', 'proceed'],
    [{ 'if-modified-since': 'nope' }, 'GET', 'proceed'],
    [{ 'if-match': '"x"', 'if-none-match': '"abc"' }, 'GET', 412]
  ]
  for (const [headers, method, expected] of table) {
    t.equal(evaluatePreconditions(headers, method, v), expected, `${method} ${JSON.stringify(headers)}`)
  }
  const none = { etag: undefined, lastModified: undefined }
  t.equal(evaluatePreconditions({ 'if-match': '"abc"' }, 'GET', none), 412, 'no ETag matches no tag')
  t.equal(evaluatePreconditions({ 'if-none-match': '*' }, 'GET', none), 304, '* matches an existing file')
  t.equal(evaluatePreconditions({ 'if-modified-since': after, 'if-unmodified-since': before }, 'GET', none), 'proceed', 'no date, no decision')
  t.equal(evaluatePreconditions({ 'if-match': 'W/"abc"' }, 'GET', { etag: 'W/"abc"' }), 412, 'a weak ETag never matches If-Match')
})

t.test('If-Range needs an exact strong validator', async (t) => {
  const v = { etag: '"abc"', lastModified: 'Tue, 14 Nov 2023 22:13:20 GMT' }
  t.ok(ifRangeMatches('"abc"', v))
  t.ok(ifRangeMatches('Tue, 14 Nov 2023 22:13:20 GMT', v))
  t.notOk(ifRangeMatches('W/"abc"', v))
  t.notOk(ifRangeMatches('Tue, 14 Nov 2023 22:13:21 GMT', v))
  t.notOk(ifRangeMatches('W/"abc"', { etag: 'W/"abc"', lastModified: undefined }), 'a weak ETag is never a match')
  t.notOk(ifRangeMatches('"abc"', { etag: undefined, lastModified: undefined }))
})

t.test('multipart framing has an exact length', async (t) => {
  const ranges = [{ start: 0, end: 1 }, { start: 5, end: 9 }]
  const { contentType, segments, length } = multipartByteranges(ranges, 10, 'text/plain; charset=utf-8', 'BOUND')
  t.equal(contentType, 'multipart/byteranges; boundary=BOUND')
  const body = bytesOf(segments, Buffer.from('0123456789'))
  t.equal(body.toString(), '--BOUND\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/10\r\n\r\n01\r\n' +
    '--BOUND\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 5-9/10\r\n\r\n56789\r\n--BOUND--')
  t.equal(length, body.length)
  t.match(multipartByteranges(ranges, 10, 'x/y').contentType, /^multipart\/byteranges; boundary=[0-9a-f]{26}$/)
})

t.test('file options are checked where they are given', async (t) => {
  t.same(checkFileOptions({ maxRanges: 5, etag: 'weak', root: 'x', maxAge: undefined }, 'file'), { maxRanges: 5, etag: 'weak', root: path.resolve('x') })
  t.same(checkFileOptions({ root: false }, 'file'), { root: false })
  t.same(checkFileOptions({ contentDispositionType: 'x_inline' }, 'file'), { contentDispositionType: 'x_inline' }, 'any HTTP token, as for header names')
  const bad = [
    [{ nope: 1 }, 'file: unknown option "nope"'],
    [{ maxRanges: 0 }, 'file.maxRanges must be a positive integer'],
    [{ chunkSize: 1.5 }, 'file.chunkSize must be a positive integer of bytes below 2 GiB'],
    [{ chunkSize: 2 ** 31 }, 'file.chunkSize must be a positive integer of bytes below 2 GiB'],
    [{ etag: 'strong' }, 'file.etag must be true, false, \'weak\' or a function of the stats'],
    [{ contentDispositionType: 'in line' }, 'file.contentDispositionType must be a token such as "attachment" or "inline"'],
    [{ cacheControl: 'a\r\nb' }, 'file.cacheControl must be a string without CR, LF or NUL'],
    [{ maxAge: -1 }, 'file.maxAge must be a non-negative integer of seconds'],
    [{ root: '' }, 'file.root must be a directory path or false'],
    [{ root: 'a\0' }, 'file.root must be a directory path or false'],
    [{ root: true }, 'file.root must be a directory path or false'],
    [{ dotfiles: 'yes' }, 'file.dotfiles must be \'allow\', \'deny\' or \'ignore\''],
    [{ lastModified: 1 }, 'file.lastModified must be a boolean'],
    [{ conditional: 'no' }, 'file.conditional must be a boolean'],
    [{ acceptRanges: 'no' }, 'file.acceptRanges must be a boolean'],
    [{ immutable: 1 }, 'file.immutable must be a boolean'],
    [{ cacheControl: 'no-store', maxAge: 5 }, 'file: cacheControl excludes maxAge and immutable'],
    [{ cacheControl: 'no-store', immutable: true }, 'file: cacheControl excludes maxAge and immutable']
  ]
  for (const [options, message] of bad) {
    t.throws(() => checkFileOptions(options, 'file'), { code: 'FST_RESPONSES_INVALID_OPTION', message: 'Invalid option: ' + message }, message)
  }
  t.equal(cacheControlFor({}), undefined)
  t.equal(cacheControlFor({ cacheControl: 'no-cache' }), 'no-cache')
  t.equal(cacheControlFor({ maxAge: 60 }), 'public, max-age=60')
  t.equal(cacheControlFor({ maxAge: 60, immutable: true }), 'public, max-age=60, immutable')
  t.equal(cacheControlFor({ immutable: true }), 'public, max-age=0, immutable')
  t.equal(cacheControlFor({ immutable: false }), undefined)
})

t.test('file-system errors become 404, 403 or 500 without the path', async (t) => {
  const err = (code) => Object.assign(new Error(`${code}: /secret/path`), { code, errno: -1 })
  for (const code of ['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG', 'EISDIR']) t.equal(toFileError(err(code)).statusCode, 404, code)
  for (const code of ['EACCES', 'EPERM']) t.equal(toFileError(err(code)).statusCode, 403, code)
  const other = toFileError(err('EMFILE'))
  t.equal(other.code, 'FST_RESPONSES_FILE_UNREADABLE')
  t.equal(other.statusCode, 500)
  t.notMatch(other.message, /secret/)
  t.equal(other.cause.code, 'EMFILE', 'the cause is kept for the logs')
})

function tempTree (t) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fr-lib-')))
  const root = path.join(dir, 'root')
  fs.mkdirSync(path.join(root, 'sub'), { recursive: true })
  fs.writeFileSync(path.join(root, 'sub', 'a.txt'), 'a')
  fs.writeFileSync(path.join(root, '.hidden'), 'h')
  fs.writeFileSync(path.join(dir, 'outside.txt'), 'o')
  fs.symlinkSync(path.join(dir, 'outside.txt'), path.join(root, 'escape.txt'))
  fs.symlinkSync(path.join(root, 'sub', 'a.txt'), path.join(root, 'inside.txt'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  return { dir, root }
}

t.test('resolveUnderRoot keeps names inside the root', async (t) => {
  const { root } = tempTree(t)
  t.equal(await resolveUnderRoot(root, 'sub/a.txt', 'ignore'), path.join(root, 'sub', 'a.txt'))
  t.equal(await resolveUnderRoot(root, './inside.txt', 'ignore'), path.join(root, 'sub', 'a.txt'), 'a symlink inside the root is followed')
  t.equal(await resolveUnderRoot(root, '.hidden', 'allow'), path.join(root, '.hidden'))
  const refused = [
    ['../outside.txt', 403], ['sub/../../outside.txt', 403], ['/etc/passwd', 403], ['sub%2fa.txt', 403], ['sub%5Ca.txt', 403],
    ['sub\\a.txt', 403], ['a.txt\0.png', 403], ['escape.txt', 403], ['missing.txt', 404], ['', 403], ['sub/a.txt/x', 404]
  ]
  for (const [name, status] of refused) {
    await t.rejects(resolveUnderRoot(root, name, 'ignore'), { statusCode: status }, JSON.stringify(name))
  }
  t.equal(await resolveUnderRoot('/', path.join(root, 'sub', 'a.txt').slice(1), 'ignore'), path.join(root, 'sub', 'a.txt'), 'the root may be /')
  await t.rejects(resolveUnderRoot(root + '/sub', '../sub2/x', 'ignore'), { statusCode: 403 })
  fs.mkdirSync(path.join(root, 'sub2'))
  fs.writeFileSync(path.join(root, 'sub2', 'x'), 'x')
  fs.symlinkSync(path.join(root, 'sub2', 'x'), path.join(root, 'sub', 'sibling'))
  await t.rejects(resolveUnderRoot(path.join(root, 'sub'), 'sibling', 'ignore'), { statusCode: 403 }, 'a sibling sharing the prefix is outside')
  await t.rejects(resolveUnderRoot(root, '.hidden', 'ignore'), { statusCode: 404 })
  await t.rejects(resolveUnderRoot(root, 'sub/.hidden', 'deny'), { statusCode: 403 })
  await t.rejects(resolveUnderRoot(path.join(root, 'none'), 'a.txt', 'ignore'), { statusCode: 404 }, 'a missing root')
})

t.test('resolveUnderRoot applies the dotfile rule to the real path below the real root', async (t) => {
  const { dir, root } = tempTree(t)
  fs.mkdirSync(path.join(root, '.git'))
  fs.writeFileSync(path.join(root, '.git', 'config'), 'c')
  fs.symlinkSync('.hidden', path.join(root, 'link'))
  fs.symlinkSync('../.git/config', path.join(root, 'sub', 'link-git'))
  for (const name of ['link', 'sub/link-git']) {
    await t.rejects(resolveUnderRoot(root, name, 'ignore'), { statusCode: 404 }, `ignore: ${name}`)
    await t.rejects(resolveUnderRoot(root, name, 'deny'), { statusCode: 403 }, `deny: ${name}`)
  }
  t.equal(await resolveUnderRoot(root, 'link', 'allow'), path.join(root, '.hidden'))
  t.equal(await resolveUnderRoot(root, 'sub/link-git', 'allow'), path.join(root, '.git', 'config'))
  // Only the segments below the root count: a root inside a dot directory serves its files.
  const dotted = path.join(dir, '.cache', 'public')
  fs.mkdirSync(dotted, { recursive: true })
  fs.writeFileSync(path.join(dotted, 'a.txt'), 'a')
  t.equal(await resolveUnderRoot(dotted, 'a.txt', 'deny'), path.join(dotted, 'a.txt'))
})

t.test('openFile and statFile refuse what is not a regular file', async (t) => {
  const { dir, root } = tempTree(t)
  await t.rejects(openFile(root, undefined), { statusCode: 404 }, 'a directory')
  await t.rejects(statFile(root), { statusCode: 404 })
  await t.rejects(statFile(path.join(dir, 'none')), { statusCode: 404 })
  const fifo = path.join(dir, 'fifo')
  require('node:child_process').execFileSync('mkfifo', [fifo])
  await t.rejects(openFile(fifo, undefined), { statusCode: 404 }, 'a FIFO neither hangs nor is served')
  const given = fs.statSync(path.join(root, 'sub', 'a.txt'))
  const opened = await openFile(path.join(root, 'sub', 'a.txt'), given)
  t.equal(opened.stats, given, 'given stats are used as they are')
  fs.closeSync(opened.fd)
})

t.test('file bodies: read errors and a shrinking file fail cleanly, the descriptor is closed', async (t) => {
  const { dir, root } = tempTree(t)
  const file = path.join(dir, 'ten.txt')
  fs.writeFileSync(file, '0123456789')
  let fd = fs.openSync(file, 'r')
  t.equal((await readSegments(fd, [Buffer.from('<'), { start: 2, end: 4 }, Buffer.from('>')], 5)).toString(), '<234>')
  await t.rejects(readSegments(fd, [{ start: 8, end: 12 }], 5), { code: 'FST_RESPONSES_FILE_UNREADABLE' }, 'past the end of a shrunk file')
  fs.closeSync(fd)

  const dirFd = fs.openSync(root, 'r')
  await t.rejects(readSegments(dirFd, [{ start: 0, end: 1 }], 2), { code: 'FST_RESPONSES_FILE_UNREADABLE' })
  const failing = new FileSegmentsStream(dirFd, [{ start: 0, end: 1 }], 16)
  await t.rejects(failing.toArray(), { code: 'FST_RESPONSES_FILE_UNREADABLE' }, 'EISDIR')
  t.throws(() => fs.fstatSync(dirFd), { code: 'EBADF' }, 'closed after the error')

  fd = fs.openSync(file, 'r')
  const shrunk = new FileSegmentsStream(fd, [{ start: 0, end: 19 }], 4)
  await t.rejects(shrunk.toArray(), { code: 'FST_RESPONSES_FILE_UNREADABLE' })
  t.throws(() => fs.fstatSync(fd), { code: 'EBADF' })

  fd = fs.openSync(file, 'r')
  const whole = new FileSegmentsStream(fd, [Buffer.from('['), { start: 0, end: 9 }, Buffer.from(']')], 3)
  t.equal(Buffer.concat(await whole.toArray()).toString(), '[0123456789]')
  t.throws(() => fs.fstatSync(fd), { code: 'EBADF' }, 'closed at the end')

  fd = fs.openSync(file, 'r')
  const destroyed = new FileSegmentsStream(fd, [{ start: 0, end: 9 }], 2)
  destroyed.once('data', () => destroyed.destroy())
  destroyed.resume()
  await new Promise((resolve) => destroyed.on('close', resolve))
  t.throws(() => fs.fstatSync(fd), { code: 'EBADF' }, 'closed when destroyed, after the read in flight')

  fd = fs.openSync(file, 'r')
  const midRead = new FileSegmentsStream(fd, [{ start: 0, end: 9 }], 2)
  midRead.read(0)
  midRead.destroy()
  await new Promise((resolve) => midRead.on('close', resolve))
  t.throws(() => fs.fstatSync(fd), { code: 'EBADF' }, 'destroyed while a read is in flight: closed once it returns')
})

t.test('errors export the file codes', async (t) => {
  t.equal(new errors.FST_RESPONSES_FILE_UNREADABLE().statusCode, 500)
})

t.test('FileSegmentsStream: reads double up to the cap while the destination keeps up, and fall back when it holds a read\'s worth', async (t) => {
  const { Writable } = require('node:stream')
  const file = path.join(fs.realpathSync(os.tmpdir()), `fr-grow-${process.pid}.bin`)
  const content = crypto.randomBytes(256 * 1024)
  fs.writeFileSync(file, content)
  t.teardown(() => fs.rmSync(file, { force: true }))
  const open = () => fs.openSync(file, 'r')
  const whole = [{ start: 0, end: content.length - 1 }]

  const lengths = []
  const received = []
  let held
  const destination = new Writable({
    highWaterMark: 1,
    write (chunk, encoding, callback) {
      lengths.push(chunk.length)
      received.push(chunk)
      // Past 64 KiB, the destination holds one chunk a while: a client that stopped reading.
      if (held === undefined && received.reduce((sum, c) => sum + c.length, 0) > 64 * 1024) {
        held = callback
        setTimeout(() => held(), 20)
        return
      }
      callback()
    }
  })
  await new Promise((resolve, reject) => {
    destination.on('finish', resolve).on('error', reject)
    new FileSegmentsStream(open(), whole, 1024, 8192).pipe(destination)
  })
  t.same(Buffer.concat(received), content)
  t.same(lengths.slice(0, 5), [1024, 2048, 4096, 8192, 8192], 'doubling while every chunk is taken at once')
  t.ok(lengths.every((length) => length <= 8192), 'never above the cap')
  const fallback = lengths.findIndex((length, i) => i > 0 && lengths[i - 1] === 8192 && length === 1024)
  t.ok(fallback > 0, 'back to 1024 once the destination held a chunk')
  t.ok(lengths.slice(fallback).includes(8192), 'and growing again once it takes them')

  const unpiped = []
  for await (const chunk of new FileSegmentsStream(open(), whole, 1024, 8192)) unpiped.push(chunk.length)
  t.same(new Set(unpiped), new Set([1024]), 'read without a pipe: nothing tells how fast the client is, no growth')
  const fixed = []
  const fixedDestination = new Writable({ write (chunk, encoding, callback) { fixed.push(chunk.length); callback() } })
  await new Promise((resolve) => new FileSegmentsStream(open(), whole, 1024).pipe(fixedDestination).on('finish', resolve))
  t.same(new Set(fixed), new Set([1024]), 'no cap above the chunk size: every read is that size')
})
