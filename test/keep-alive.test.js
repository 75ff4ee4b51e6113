'use strict'
// The keep-alive timer (plugin/lib/keep-alive.ts), without HTTP.
const t = require('tap')
const { setTimeout: sleep } = require('node:timers/promises')
const { KeepAlive } = require('../dist/lib/keep-alive.js')
const { until } = require('./stream-client')

t.test('silence is filled every `ms` while the reader waits, never while the source answers', async (t) => {
  let pings = 0
  const keepAlive = new KeepAlive(20, () => { pings++; return true })
  t.teardown(() => keepAlive.stop())
  keepAlive.waiting()
  await until(() => pings >= 2)
  t.ok(pings >= 2, 'a ping every 20 ms of waiting')
  keepAlive.answered()
  const answeredAt = pings
  await sleep(50)
  t.equal(pings, answeredAt, 'no ping once the source answered')
})

t.test('a wait that starts while the timer runs gets its full `ms` of silence first', async (t) => {
  const pingedAt = []
  const keepAlive = new KeepAlive(40, () => { pingedAt.push(Date.now()); return true })
  t.teardown(() => keepAlive.stop())
  keepAlive.waiting()
  await sleep(25)
  keepAlive.answered()
  const secondWait = Date.now()
  keepAlive.waiting()
  await until(() => pingedAt.length > 0)
  keepAlive.answered()
  t.equal(pingedAt.length, 1, 'one ping, for the second wait only')
  t.ok(pingedAt[0] - secondWait >= 38, `not before 40 ms of silence (${pingedAt[0] - secondWait} ms)`)
})

t.test('a reader that wants no more stops the pings until it waits again', async (t) => {
  let pings = 0
  const keepAlive = new KeepAlive(10, () => { pings++; return false })
  t.teardown(() => keepAlive.stop())
  keepAlive.waiting()
  await until(() => pings > 0)
  await sleep(40)
  t.equal(pings, 1, 'one ping, then none while the reader is full')
  keepAlive.waiting()
  await until(() => pings > 1)
  t.equal(pings, 2, 'waiting again pings again')
})

t.test('stop ends the pings', async (t) => {
  let pings = 0
  const keepAlive = new KeepAlive(10, () => { pings++; return true })
  keepAlive.waiting()
  keepAlive.stop()
  await sleep(30)
  t.equal(pings, 0)
})
