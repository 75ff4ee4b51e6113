'use strict'
// Server-sent event framing and validation (plugin/http/sse.ts), without HTTP.
const t = require('tap')
const { ServerSentEvent, formatEvent, formatData } = require('../dist/http/sse.js')

const json = (value) => JSON.stringify(value)

t.test('events are written in FastAPI field order with data split on every line ending', async (t) => {
  const table = [
    [{ data: { a: 1 } }, 'data: {"a":1}\n\n'],
    [{ data: 'text' }, 'data: "text"\n\n'],
    [{ data: null }, 'data: null\n\n'],
    [{ rawData: 'one\ntwo\r\nthree\rfour' }, 'data: one\ndata: two\ndata: three\ndata: four\n\n'],
    [{ rawData: 'ends\n' }, 'data: ends\ndata: \n\n'],
    [{ rawData: '' }, 'data: \n\n'],
    [{ comment: 'just a comment' }, ': just a comment\n\n'],
    [{ comment: 'two\r\nlines' }, ': two\n: lines\n\n'],
    [{ retry: 0 }, 'retry: 0\n\n'],
    [{ id: 7 }, 'id: 7\n\n'],
    [{ id: '' }, 'id: \n\n'],
    [
      { retry: 3000, id: 'x-1', data: [1, 2], event: 'update', comment: 'note' },
      ': note\nevent: update\ndata: [1,2]\nid: x-1\nretry: 3000\n\n'
    ],
    [{}, '\n']
  ]
  for (const [init, wire] of table) t.equal(formatEvent(new ServerSentEvent(init), json), wire, JSON.stringify(init))
})

t.test('a plain value is one data field of its JSON', async (t) => {
  t.equal(formatData({ b: [true] }, json), 'data: {"b":[true]}\n\n')
  t.equal(formatData('line\nbreak', json), 'data: "line\\nbreak"\n\n')
})

t.test('a serializer that returns bytes or several lines still gives valid data lines', async (t) => {
  const pretty = (value) => new TextEncoder().encode(JSON.stringify(value, null, 1))
  t.equal(formatData({ a: 1 }, pretty), 'data: {\ndata:  "a": 1\ndata: }\n\n')
  t.equal(formatEvent(new ServerSentEvent({ data: [] }), pretty), 'data: []\n\n')
})

t.test('fields that would inject another field are refused', async (t) => {
  const invalid = [
    [{ data: 1, rawData: '1' }, /data and rawData/],
    [{ event: 'a\nretry: 1' }, /event must not contain line breaks/],
    [{ event: 'a\rb' }, /event must not contain line breaks/],
    [{ event: 5 }, /event must be a string/],
    [{ id: 'a\nb' }, /id must not contain line breaks or NUL/],
    [{ id: 'a\0b' }, /id must not contain line breaks or NUL/],
    [{ id: {} }, /id must be a string/],
    [{ retry: -1 }, /retry must be a non-negative integer/],
    [{ retry: 1.5 }, /retry must be a non-negative integer/],
    [{ retry: '10' }, /retry must be a non-negative integer/],
    [{ rawData: 12 }, /rawData must be a string/],
    [{ comment: ['x'] }, /comment must be a string/]
  ]
  for (const [init, message] of invalid) {
    t.throws(() => new ServerSentEvent(init), { code: 'FST_RESPONSES_INVALID_EVENT', message }, JSON.stringify(init))
  }
})
