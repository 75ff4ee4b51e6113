'use strict'
// How a large file is read while it streams: read sizes that grow for a client that keeps up,
// the buffer of a read taken again for a later one once the response has sent it, never for
// chunks someone else may still hold, and every byte exact over HTTP/1.1 (pipelined too) and
// HTTP/2, for fast and slow clients.
const t = require('tap')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const http = require('node:http')
const http2 = require('node:http2')
const net = require('node:net')
const zlib = require('node:zlib')
const crypto = require('node:crypto')
const { PassThrough, Transform } = require('node:stream')
const { startApp, request, descriptorsOf, settledDescriptorsOf } = require('./helpers')
const { parseByteranges } = require('./byteranges')

const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fr-reads-')))
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
const file = path.join(dir, 'large.bin')
const content = crypto.randomBytes(8 * 1024 * 1024)
fs.writeFileSync(file, content)

/** Records every fs.read (its length and the buffer it fills) until the test ends. */
function watchReads (t) {
  const reads = []
  const { read } = fs
  fs.read = function (fd, buffer, offset, length, ...rest) {
    reads.push({ length, buffer })
    return read.call(this, fd, buffer, offset, length, ...rest)
  }
  t.teardown(() => { fs.read = read })
  return reads
}

const buffersOf = (reads) => new Set(reads.map((read) => read.buffer)).size

/** The body of GET `path` over HTTP/2, read at once or `slowly` (a pause after every chunk). */
function http2Get (app, path, { slowly = false } = {}) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(app.baseUrl)
    session.on('error', reject)
    const stream = session.request({ ':path': path })
    const chunks = []
    stream.on('data', (chunk) => {
      chunks.push(chunk)
      if (!slowly) return
      stream.pause()
      setTimeout(() => stream.resume(), 1)
    })
    stream.on('end', () => session.close(() => resolve(Buffer.concat(chunks))))
    stream.on('error', reject)
  })
}

/** The body of GET `path` over HTTP/1.1, read with a pause after every chunk. */
function slowGet (app, path) {
  return new Promise((resolve, reject) => {
    http.get(app.baseUrl + path, { agent: false }, (res) => {
      const chunks = []
      res.on('data', (chunk) => {
        chunks.push(chunk)
        res.pause()
        setTimeout(() => res.resume(), 1)
      })
      res.on('end', () => resolve(Buffer.concat(chunks)))
      res.on('error', reject)
    }).on('error', reject)
  })
}

t.test('large files: reads grow to 256 KiB for a client that keeps up; an explicit chunkSize is every read\'s size', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', (request, reply) => reply.fileResponse(file))
    app.get('/fixed', (request, reply) => reply.fileResponse(file, { chunkSize: 65536 }))
  })
  const reads = watchReads(t)
  t.same((await request(app, '/')).body, content)
  const grown = reads.map((read) => read.length)
  t.equal(grown[0], 65536, 'the first read is 64 KiB')
  t.equal(Math.max(...grown), 256 * 1024, 'reads reach 256 KiB')
  t.ok(grown.every((length) => length <= 256 * 1024), 'and never more')
  reads.length = 0
  t.same((await request(app, '/fixed')).body, content)
  t.same(new Set(reads.map((read) => read.length)), new Set([65536]), 'chunkSize: 64 KiB, every read')
})

t.test('a client that keeps up: each read goes into the buffer of an earlier read once it was sent, over HTTP/1.1 and HTTP/2, and every byte arrives', async (t) => {
  const routes = (app) => {
    app.get('/', (request, reply) => reply.fileResponse(file))
    app.get('/fixed', (request, reply) => reply.fileResponse(file, { chunkSize: 65536 }))
  }
  const [h1, h2] = await Promise.all([startApp(t, routes), startApp(t, routes, { fastifyOptions: { http2: true } })])
  for (const url of ['/', '/fixed']) {
    for (const [protocol, get] of [['HTTP/1.1', async () => (await request(h1, url)).body], ['HTTP/2', () => http2Get(h2, url)]]) {
      const reads = watchReads(t)
      t.same(await get(), content, `${protocol} ${url}: exact`)
      // A few buffers in a quiet run; the margin is for a busy machine's full sockets.
      t.ok(buffersOf(reads) * 4 < reads.length, `${protocol} ${url}: ${reads.length} reads into ${buffersOf(reads)} buffers`)
    }
  }
})

t.test('chunks that a hook, a transform or compression may still hold are never read into again', async (t) => {
  const tapped = []
  const app = await startApp(t, async (app) => {
    app.get('/tapped', {
      onSend: async (request, reply, payload) => {
        payload.on('data', (chunk) => tapped.push(chunk))
        return payload
      }
    }, (request, reply) => reply.fileResponse(file))
    app.get('/held', {
      compress: false,
      // Keeps every chunk until the file ends, then passes them on.
      onSend: async (request, reply, payload) => {
        const held = []
        return payload.pipe(new Transform({
          transform (chunk, encoding, callback) { held.push(chunk); callback() },
          flush (callback) { for (const chunk of held) this.push(chunk); callback() }
        }))
      }
    }, (request, reply) => reply.fileResponse(file))
    // zlib reads chunks on its thread pool after they were written to it.
    app.get('/gzip', {
      onSend: async (request, reply, payload) => {
        reply.header('content-encoding', 'gzip').removeHeader('content-length')
        return payload.pipe(zlib.createGzip())
      }
    }, (request, reply) => reply.fileResponse(file))
  })

  let reads = watchReads(t)
  t.same((await request(app, '/tapped')).body, content, 'tapped: the client gets the file')
  t.same(Buffer.concat(tapped), content, 'and the data listener kept the file, unchanged')
  t.equal(buffersOf(reads), reads.length, 'a buffer per read')

  reads = watchReads(t)
  t.same((await request(app, '/held')).body, content, 'held by a transform until the end: exact')
  t.equal(buffersOf(reads), reads.length, 'a buffer per read')

  reads = watchReads(t)
  const gzip = await request(app, '/gzip', { headers: { 'accept-encoding': 'gzip' } })
  t.equal(gzip.headers['content-encoding'], 'gzip')
  t.same(zlib.gunzipSync(gzip.body), content, 'compressed: exact')
  t.equal(buffersOf(reads), reads.length, 'a buffer per read')
})

t.test('every byte arrives to fast and slow clients at once, over HTTP/1.1 and HTTP/2', async (t) => {
  const routes = (app) => {
    app.get('/', (request, reply) => reply.fileResponse(file))
    // Reads smaller than the socket's buffer: a chunk waits in the stream while the socket is full.
    app.get('/small', (request, reply) => reply.fileResponse(file, { chunkSize: 4096 }))
  }
  const [h1, h2] = await Promise.all([startApp(t, routes), startApp(t, routes, { fastifyOptions: { http2: true } })])
  const clients = {
    'HTTP/1.1 fast': (url) => request(h1, url).then((response) => response.body),
    'HTTP/1.1 slow': (url) => slowGet(h1, url),
    'HTTP/2 fast': (url) => http2Get(h2, url),
    'HTTP/2 slow': (url) => http2Get(h2, url, { slowly: true })
  }
  const downloads = []
  for (const url of ['/', '/small']) {
    for (const [name, get] of Object.entries(clients)) downloads.push([`${name} ${url}`, get(url)], [`${name} ${url}`, get(url)])
  }
  for (const [name, body] of downloads) t.ok((await body).equals(content), `${name}: exact`)
})

t.test('chunks waiting in a paused stream are never read into again: many short parts, every byte exact', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', {
      // Paused once piped, resumed later: reads of short parts fill the stream's buffer meanwhile.
      onSend: async (request, reply, payload) => {
        setImmediate(() => {
          payload.pause()
          setTimeout(() => payload.resume(), 50)
        })
        return payload
      }
    }, (request, reply) => reply.fileResponse(file, { chunkSize: 1024 }))
  })
  const ranges = Array.from({ length: 50 }, (_, i) => [i * 1000, i * 1000 + 99])
  const response = await request(app, '/', { headers: { range: 'bytes=' + ranges.map(([start, end]) => `${start}-${end}`).join(',') } })
  t.equal(response.status, 206)
  const parts = parseByteranges(response.headers['content-type'], response.body)
  t.same(parts.map((part) => part.data), ranges.map(([start, end]) => content.subarray(start, end + 1)))
})

t.test('two pipelined requests for a large file on one connection: both bodies exact, in order', async (t) => {
  const app = await startApp(t, (app) => { app.get('/', (request, reply) => reply.fileResponse(file)) })
  const received = await new Promise((resolve, reject) => {
    const socket = net.connect(app.server.address().port, '127.0.0.1')
    const chunks = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('end', () => resolve(Buffer.concat(chunks)))
    socket.on('error', reject)
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\nGET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')
  })
  let rest = received
  for (const name of ['first', 'second']) {
    const headEnd = rest.indexOf('\r\n\r\n')
    const head = rest.subarray(0, headEnd).toString('latin1')
    t.match(head, /^HTTP\/1\.1 200 /, `${name}: 200`)
    const length = Number(/content-length: (\d+)/i.exec(head)[1])
    t.ok(rest.subarray(headEnd + 4, headEnd + 4 + length).equals(content), `${name}: exact`)
    rest = rest.subarray(headEnd + 4 + length)
  }
  t.equal(rest.length, 0, 'nothing after the second body')
})

t.test('a download aborted after its reads grew closes its descriptor', async (t) => {
  const aborted = path.join(dir, 'aborted.bin')
  fs.writeFileSync(aborted, Buffer.alloc(32 * 1024 * 1024, 1))
  const app = await startApp(t, (app) => { app.get('/', (request, reply) => reply.fileResponse(aborted)) })
  await new Promise((resolve, reject) => {
    const req = http.get(app.baseUrl + '/', { agent: false }, (res) => {
      let received = 0
      res.on('data', (chunk) => {
        received += chunk.length
        if (received < 8 * 1024 * 1024) return
        t.equal(descriptorsOf(aborted), 1, 'open while streaming')
        req.destroy()
        resolve()
      })
    })
    req.on('error', reject)
  })
  t.equal(await settledDescriptorsOf(aborted), 0)
  t.equal((await request(app, '/', { headers: { range: 'bytes=0-0' } })).status, 206, 'the server keeps serving')
})

t.test('a pass-through between the file and the response gets a buffer per read, and the bytes arrive exact', async (t) => {
  const app = await startApp(t, (app) => {
    app.get('/', { onSend: async (request, reply, payload) => payload.pipe(new PassThrough()) }, (request, reply) => reply.fileResponse(file))
  })
  const reads = watchReads(t)
  t.same((await request(app, '/')).body, content)
  t.equal(buffersOf(reads), reads.length)
})
