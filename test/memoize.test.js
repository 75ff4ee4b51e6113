'use strict'
// The memo for small key sets: computed once per key, and past its size it computes every time
// instead of growing.
const t = require('tap')
const { memoize } = require('../dist/lib/memoize.js')

t.test('a key is computed once while the memo has room, and every time once it is full', async (t) => {
  const computed = []
  const double = memoize((n) => { computed.push(n); return n * 2 }, 2)
  t.equal(double(1), 2)
  t.equal(double(1), 2)
  t.equal(double(2), 4)
  t.equal(double(3), 6)
  t.equal(double(3), 6)
  t.same(computed, [1, 2, 3, 3], '1 and 2 kept, 3 computed each time')
})
