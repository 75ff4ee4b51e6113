'use strict'
// A Node Readable read item by item (plugin/stream/readable-source.ts), without HTTP: the states
// that depend on when the stream emits, ends or fails.
const t = require('tap')
const { once } = require('node:events')
const { Readable } = require('node:stream')
const { readableItems } = require('../dist/stream/readable-source.js')

t.test('a Readable whose items and end come while nobody waits gives them in order', async (t) => {
  const readable = new Readable({ objectMode: true, read () {} })
  const items = readableItems(readable)
  const first = items.next()
  readable.push('a')
  t.same(await first, { done: false, value: 'a' }, 'an awaited item')
  readable.push('b')
  t.same(items.next(), { done: false, value: 'b' }, 'an item that came while nobody waited')
  const third = items.next()
  readable.push('c')
  t.same(await third, { done: false, value: 'c' }, 'the stream flows again once an item is awaited')
  readable.push(null)
  await once(readable, 'end')
  t.same(items.next(), { done: true, value: undefined }, 'the end that came while nobody waited')
})

t.test('a Readable that fails while nobody waits gives its items, then the failure', async (t) => {
  const readable = new Readable({ objectMode: true, read () {} })
  const items = readableItems(readable)
  const first = items.next()
  readable.push('a')
  t.same(await first, { done: false, value: 'a' })
  readable.destroy(new Error('broken'))
  await new Promise((resolve) => readable.once('close', resolve))
  t.throws(() => items.next(), { message: 'broken' })
})

t.test('a Readable hands out what it has buffered without waiting', async (t) => {
  const readable = Readable.from(['a', 'b'])
  const items = readableItems(readable)
  const first = await items.next()
  t.same(first, { done: false, value: 'a' })
  t.same(await items.next(), { done: false, value: 'b' })
  t.same(await items.next(), { done: true, value: undefined })
})
