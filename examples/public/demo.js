// The demo page's script: each section calls its route with fetch (or EventSource, or a <video>)
// and shows what came back. Failures go to the console, where the browser tests look for them.
'use strict'
/* global EventSource */

const $ = (id) => document.getElementById(id)

/** Runs `handler` on each `type` event of the element, its failures to the console. */
function on (id, type, handler) {
  $(id).addEventListener(type, (event) => handler(event).catch(failed))
}

function failed (err) {
  console.error(err)
}

function append (list, text) {
  const item = document.createElement('li')
  item.textContent = text
  list.append(item)
  return item
}

async function fetchOk (url, init) {
  const response = await fetch(url, init)
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status}`)
  return response
}

/** Calls `onText` with each decoded piece of a response body as it arrives. */
async function readText (response, onText) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    onText(value)
  }
}

/** Splits a body into lines as they complete, and calls `onLine` with each. */
async function readLines (response, onLine) {
  let pending = ''
  await readText(response, (text) => {
    const lines = (pending + text).split('\n')
    pending = lines.pop()
    for (const line of lines) onLine(line)
  })
}

/** Server-sent events from a fetch body (EventSource only makes GET requests): `{ event, data }` each. */
async function readEvents (response, onEvent) {
  let event = { event: 'message', data: [] }
  await readLines(response, (line) => {
    if (line === '') {
      if (event.data.length > 0) onEvent({ event: event.event, data: event.data.join('\n') })
      event = { event: 'message', data: [] }
    } else if (line.startsWith('event:')) {
      event.event = line.slice(6).trim()
    } else if (line.startsWith('data:')) {
      event.data.push(line.slice(line.startsWith('data: ') ? 6 : 5))
    }
  })
}

async function showJson () {
  for (const panel of document.querySelectorAll('[data-json]')) {
    const response = await fetchOk(panel.dataset.json)
    panel.textContent = `content-type: ${response.headers.get('content-type')}\n\n${await response.text()}`
  }
}

async function showTextAndHtml () {
  $('text').textContent = await (await fetchOk('/text')).text()
  $('fragment').innerHTML = await (await fetchOk('/fragment')).text()
}

async function showRedirect () {
  const response = await fetchOk('/redirect')
  const landed = new URL(response.url).pathname
  $('redirect-hop').textContent = `GET /redirect → ${response.redirected ? 'redirected' : 'not redirected'} → GET ${landed}: ${await response.text()}`
}

function showVideo () {
  const video = $('video')
  const buffered = () => Array.from({ length: video.buffered.length }, (_, i) =>
    `${video.buffered.start(i).toFixed(1)}–${video.buffered.end(i).toFixed(1)} s`).join(', ') || 'none'
  const show = () => {
    $('video-time').textContent = video.currentTime.toFixed(1)
    $('video-buffered').textContent = buffered()
  }
  video.addEventListener('timeupdate', show)
  video.addEventListener('progress', show)
  video.addEventListener('error', () => console.error('video error', video.error?.message))
  $('seek').addEventListener('click', () => { video.currentTime = 10 })
}

function showFeed () {
  const source = new EventSource('/events')
  source.addEventListener('open', () => { $('sse-state').textContent = 'open' })
  // The server ends each stream: EventSource reports an error, then reconnects by itself.
  source.addEventListener('error', () => { $('sse-state').textContent = 'reconnecting' })
  source.addEventListener('tick', (event) => {
    const { id, resumedAfter } = JSON.parse(event.data)
    const item = append($('sse-events'), `event ${event.lastEventId}${resumedAfter === null ? '' : `, stream resumed after ${resumedAfter}`}`)
    item.dataset.id = id
  })
}

async function showJsonLines () {
  const list = $('jsonl-lines')
  await readLines(await fetchOk('/jsonl'), (line) => { append(list, line).dataset.line = '' })
  $('jsonl-state').textContent = `${list.children.length} lines, done`
  await readText(await fetchOk('/stream'), (text) => { $('stream').textContent += text })
}

function setUpChat () {
  on('chat-form', 'submit', async (event) => {
    event.preventDefault()
    const answer = $('chat-answer')
    answer.textContent = ''
    $('chat-state').textContent = 'streaming'
    const response = await fetchOk('/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ prompt: $('chat-prompt').value })
    })
    await readEvents(response, ({ event, data }) => {
      if (event === 'token') answer.textContent += JSON.parse(data)
      if (event === 'done') $('chat-state').textContent = 'done'
    })
  })
}

async function showCookies () {
  $('cookies-document').textContent = document.cookie || '(none)'
  const { cookie } = await (await fetchOk('/cookies')).json()
  $('cookies-echo').textContent = cookie || '(none)'
}

function setUpCookies () {
  on('cookies-set', 'click', async () => {
    await fetchOk('/cookies', { method: 'POST' })
    await showCookies()
  })
  on('cookies-delete', 'click', async () => {
    await fetchOk('/cookies', { method: 'DELETE' })
    await showCookies()
  })
}

async function showDownload () {
  const response = await fetchOk('/download', { method: 'HEAD' })
  $('download-disposition').textContent = response.headers.get('content-disposition')
}

function setUpTasks () {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
  on('task-start', 'click', async () => {
    const response = await fetchOk('/tasks', { method: 'POST' })
    const { task, status } = await response.json()
    const item = append($('task-log'), `task ${task}: ${status} (${response.status}), running after the response`)
    // A bounded poll of the log the task writes once it is done.
    for (let attempt = 0; attempt < 100; attempt++) {
      const done = (await (await fetchOk('/tasks')).json()).find((entry) => entry.task === task)
      if (done !== undefined) {
        item.textContent = `task ${task}: finished at ${done.finishedAt}`
        item.dataset.finished = ''
        return
      }
      await sleep(200)
    }
    console.error(`task ${task} did not finish`)
  })
}

showVideo()
showFeed()
setUpChat()
setUpCookies()
setUpTasks()
Promise.all([showJson(), showTextAndHtml(), showRedirect(), showJsonLines(), showCookies(), showDownload()])
  .then(() => { document.body.dataset.loaded = '' }, failed)
