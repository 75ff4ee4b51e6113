'use strict'
// The keep-alive timer (plugin/stream/keep-alive.ts), without HTTP, on a clock the test moves.
const t = require('tap')
const { KeepAlive } = require('../dist/stream/keep-alive.js')

/** A clock whose time moves only by `advance(ms)`, firing the timers due on the way in order. */
function manualClock () {
  let now = 0
  let timers = []
  return {
    now: () => now,
    setTimeout (callback, ms) {
      const timer = { at: now + ms, callback }
      timers.push(timer)
      return timer
    },
    clearTimeout (timer) {
      timers = timers.filter((pending) => pending !== timer)
    },
    get pending () {
      return timers.length
    },
    advance (ms) {
      const until = now + ms
      for (;;) {
        const [due] = timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)
        if (due === undefined) break
        this.clearTimeout(due)
        now = due.at
        due.callback()
      }
      now = until
    }
  }
}

/** A KeepAlive on a manual clock, recording when it pinged; `onSilence` answers whether the reader wants more. */
function keepAliveOnClock (ms, wantsMore = true) {
  const clock = manualClock()
  const pingedAt = []
  const keepAlive = new KeepAlive(ms, () => { pingedAt.push(clock.now()); return wantsMore }, clock)
  return { clock, pingedAt, keepAlive }
}

t.test('silence is filled every `ms` while the reader waits, never while the source answers', async (t) => {
  const { clock, pingedAt, keepAlive } = keepAliveOnClock(20)
  keepAlive.waiting()
  clock.advance(19)
  t.same(pingedAt, [], 'nothing before 20 ms of silence')
  clock.advance(21)
  t.same(pingedAt, [20, 40], 'a ping every 20 ms of waiting')
  keepAlive.answered()
  clock.advance(1000)
  t.same(pingedAt, [20, 40], 'no ping once the source answered')
  t.equal(clock.pending, 0, 'and no timer left')
})

t.test('a busy source costs no timer per item', async (t) => {
  const { clock, pingedAt, keepAlive } = keepAliveOnClock(20)
  for (let item = 0; item < 10; item++) {
    keepAlive.waiting()
    clock.advance(5)
    keepAlive.answered()
  }
  t.same(pingedAt, [], 'never 20 ms of silence')
  t.equal(clock.pending, 1, 'one timer, checked when it fires')
})

t.test('a wait that starts while the timer runs gets its full `ms` of silence first', async (t) => {
  const { clock, pingedAt, keepAlive } = keepAliveOnClock(40)
  keepAlive.waiting()
  clock.advance(25)
  keepAlive.answered()
  keepAlive.waiting()
  clock.advance(39)
  t.same(pingedAt, [], 'not 40 ms after the first wait began')
  clock.advance(1)
  t.same(pingedAt, [65], '40 ms after the second one')
})

t.test('a reader that wants no more stops the pings until it waits again', async (t) => {
  const { clock, pingedAt, keepAlive } = keepAliveOnClock(10, false)
  keepAlive.waiting()
  clock.advance(1000)
  t.same(pingedAt, [10], 'one ping, then none while the reader is full')
  t.equal(clock.pending, 0)
  keepAlive.waiting()
  clock.advance(10)
  t.same(pingedAt, [10, 1010], 'waiting again pings again')
})

t.test('stop ends the pings', async (t) => {
  const { clock, pingedAt, keepAlive } = keepAliveOnClock(10)
  keepAlive.waiting()
  clock.advance(10)
  keepAlive.stop()
  clock.advance(1000)
  t.same(pingedAt, [10])
  t.equal(clock.pending, 0, 'its timer is cleared')
})
