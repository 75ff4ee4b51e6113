'use strict'
// The demo page in headless Chromium over HTTP/1.1: every section shows what its response class
// sent, as a browser receives it.
/* global MutationObserver */
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const t = require('tap')
const { downloadName } = require('../examples/app.js')
const { feedResumesWithLastEventId, videoPlaysAndSeeksWithRanges } = require('./checks.js')
const { launchBrowser, openPage, startDemo, tempDir } = require('./helpers.js')

const publicDir = path.join(__dirname, '..', 'examples', 'public')

// Run in the page before its scripts: after each batch of DOM changes, how many JSON Lines and
// how much of the streamed answer the page shows, so a test sees the steps a body arrived in.
function recordGrowth () {
  const growth = { lines: [], answer: [] }
  window.growth = growth
  const record = (list, value) => { if (list.at(-1) !== value) list.push(value) }
  new MutationObserver(() => {
    record(growth.lines, document.querySelectorAll('#jsonl-lines li').length)
    record(growth.answer, document.getElementById('chat-answer')?.textContent ?? '')
  }).observe(document, { subtree: true, childList: true, characterData: true })
}

t.test('the demo page in Chromium over HTTP/1.1', async (t) => {
  const { origin, answered } = await startDemo(t)
  const { context, errors } = await launchBrowser(t)
  await context.addInitScript(recordGrowth)

  t.test('the page loads every section with no console errors', async (t) => {
    const page = await openPage(t, context)
    await page.goto(origin + '/')
    await page.waitForSelector('body[data-loaded]')
    await page.waitForSelector('#sse-events li')
    await page.waitForFunction(() => document.getElementById('video').currentTime > 0)
    t.match(await page.textContent('#text'), 'naïve café ☕', 'PlainTextResponse, decoded as UTF-8')
    t.equal(await page.innerHTML('#fragment strong'), 'HTMLResponse', 'the HTMLResponse fragment is put in place as HTML')
    t.ok(await page.$eval('#badge', (image) => image.complete && image.naturalWidth === 168), 'the SVG sent by Response with a media type is drawn')
    t.same(errors, [], 'no console error and no uncaught error')
  })

  t.test('the JSON panels show each class\'s output side by side', async (t) => {
    const page = await openPage(t, context)
    await page.goto(origin + '/')
    await page.waitForSelector('body[data-loaded]')
    const [standard, ujson, orjson] = await page.$$eval('[data-json]', (panels) => panels.map((panel) => panel.textContent))
    t.equal(standard, 'content-type: application/json\n\n{"url":"https://example.com/docs/","html":"</script>","text":"café ☕"}')
    t.equal(ujson, 'content-type: application/json\n\n{"url":"https:\\/\\/example.com\\/docs\\/","html":"<\\/script>","text":"café ☕"}', 'UJSON escapes forward slashes')
    t.equal(orjson, 'content-type: application/json\n\n{"when":"1970-01-01T00:00:00.000Z","big":18446744073709551616,"tags":["a","b"],"counts":{"1":"one","2":"two"}}',
      'ORJSON writes the Date as ISO 8601, the BigInt as a number, the Set as an array and the Map as an object')
  })

  t.test('the redirect is followed to its target, and the page shows the hop', async (t) => {
    const page = await openPage(t, context)
    const before = answered.length
    await page.goto(origin + '/')
    await page.waitForSelector('body[data-loaded]')
    t.equal(await page.textContent('#redirect-hop'), 'GET /redirect → redirected → GET /redirect/target: {"arrived":"/redirect/target"}')
    const hop = answered.slice(before).filter((entry) => entry.url.startsWith('/redirect')).map(({ url, statusCode }) => ({ url, statusCode }))
    t.same(hop, [{ url: '/redirect', statusCode: 307 }, { url: '/redirect/target', statusCode: 200 }], 'the server answered 307, then the target')
  })

  t.test('the video plays, and a seek is served by Range requests answered 206', async (t) => {
    const page = await openPage(t, context)
    await videoPlaysAndSeeksWithRanges(t, context, page, origin, answered)
  })

  t.test('the live feed shows events and resumes with Last-Event-ID after the server ends a stream', async (t) => {
    const page = await openPage(t, context)
    await feedResumesWithLastEventId(t, page, origin, answered)
  })

  t.test('the JSON Lines feed renders line by line as the lines arrive', async (t) => {
    const page = await openPage(t, context)
    await page.goto(origin + '/')
    await page.waitForFunction(() => document.getElementById('jsonl-state').textContent === '8 lines, done')
    const lines = await page.$$eval('#jsonl-lines li', (items) => items.map((item) => JSON.parse(item.textContent)))
    t.same(lines.map((line) => line.name), ['Mercury', 'Venus', 'Earth', 'Mars', 'Jupiter', 'Saturn', 'Uranus', 'Neptune'], 'each line is its own item, in order')
    const counts = (await page.evaluate(() => window.growth.lines)).filter((count) => count > 0)
    t.ok(counts.length >= 4, `the list grew in ${counts.length} steps (${counts.join(', ')}), not at once`)
    t.equal(counts.at(-1), 8)
  })

  t.test('the answer to a POST arrives token by token', async (t) => {
    const page = await openPage(t, context)
    await page.goto(origin + '/')
    await page.fill('#chat-prompt', 'What does FileResponse do?')
    await page.click('#chat-form button')
    await page.waitForFunction(() => document.getElementById('chat-state').textContent === 'done')
    const answer = 'You asked: “What does FileResponse do?”. This answer is sent as server-sent events, one token at a time, in reply to a POST.'
    t.equal(await page.textContent('#chat-answer'), answer, 'the whole answer, tokens joined')
    const steps = (await page.evaluate(() => window.growth.answer)).filter((text) => text !== '')
    t.ok(steps.length >= 5, `the page showed ${steps.length} partial answers before the end`)
    t.ok(steps.every((text) => answer.startsWith(text)), 'each step is a prefix of the answer')
  })

  t.test('the download arrives with its exact non-ASCII filename', async (t) => {
    const page = await openPage(t, context)
    await page.goto(origin + '/')
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')])
    t.equal(download.suggestedFilename(), downloadName)
    const saved = path.join(tempDir(t, 'download'), 'saved')
    await download.saveAs(saved)
    t.same(fs.readFileSync(saved), fs.readFileSync(path.join(publicDir, 'recipe.txt')), 'with the file\'s bytes')
    t.equal(page.url(), origin + '/', 'the page stays where it is')
  })

  t.test('cookies set by the server appear, and deleting them makes them disappear', async (t) => {
    const page = await openPage(t, context)
    await page.goto(origin + '/')
    await page.waitForSelector('body[data-loaded]')
    t.equal(await page.textContent('#cookies-document'), '(none)', 'none at first')
    await page.click('#cookies-set')
    await page.waitForFunction(() => document.getElementById('cookies-echo').textContent !== '(none)')
    t.equal(await page.textContent('#cookies-document'), 'flavour=speculoos', 'document.cookie shows the cookie that is not HttpOnly')
    t.same((await page.textContent('#cookies-echo')).split('; ').sort(), ['flavour=speculoos', 'session=opaque-token'], 'the browser sends both back')
    const cookies = await context.cookies(origin)
    t.same(cookies.map(({ name, httpOnly, sameSite }) => ({ name, httpOnly, sameSite })).sort((a, b) => a.name.localeCompare(b.name)),
      [{ name: 'flavour', httpOnly: false, sameSite: 'Lax' }, { name: 'session', httpOnly: true, sameSite: 'Lax' }], 'with their attributes')
    await page.click('#cookies-delete')
    await page.waitForFunction(() => document.getElementById('cookies-echo').textContent === '(none)')
    t.equal(await page.textContent('#cookies-document'), '(none)', 'document.cookie is empty again')
    t.same(await context.cookies(origin), [], 'the browser keeps none')
  })

  t.test('a background task runs after its response, and the page shows its effect', async (t) => {
    const page = await openPage(t, context)
    await page.goto(origin + '/')
    await page.click('#task-start')
    await page.waitForFunction(() => document.querySelector('#task-log li')?.textContent.endsWith('accepted (202), running after the response'))
    t.pass('the response came first: the task was accepted, not yet done')
    await page.waitForSelector('#task-log li[data-finished]')
    t.match(await page.textContent('#task-log li'), /^task \d+: finished at \d{4}-\d\d-\d\dT/, 'then the page shows the log entry the task wrote')
  })

  t.test('a .js file with non-ASCII text reads right as a script and opened directly', async (t) => {
    const greeting = /const greeting = '(.+)'/.exec(fs.readFileSync(path.join(publicDir, 'greeting.js'), 'utf8'))[1]
    t.ok([...greeting].some((char) => char.codePointAt(0) > 0x7f), 'the script holds non-ASCII text')
    const page = await openPage(t, context)
    await page.goto(origin + '/')
    await page.waitForFunction(() => document.getElementById('greeting').textContent !== '')
    t.equal(await page.textContent('#greeting'), greeting, 'as a script: the text it writes into the page')
    const response = await page.goto(origin + '/static/greeting.js')
    t.equal(response.headers()['content-type'], 'text/javascript; charset=utf-8')
    t.match(await page.textContent('body'), `const greeting = '${greeting}'`, 'opened directly: the source as text')
  })

  t.test('a full-page screenshot once everything has loaded', async (t) => {
    const page = await openPage(t, context)
    await page.goto(origin + '/')
    await page.waitForSelector('body[data-loaded]')
    await page.click('#chat-form button')
    await page.click('#cookies-set')
    await page.click('#task-start')
    await page.waitForFunction(() => document.querySelectorAll('#sse-events li').length >= 7 &&
      document.getElementById('chat-state').textContent === 'done' &&
      document.querySelector('#task-log li[data-finished]') !== null &&
      document.getElementById('video').currentTime > 1)
    // Kept after the run, outside the repository, to be looked at.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fastify-responses-screenshot-')), 'demo.png')
    await page.screenshot({ path: file, fullPage: true })
    t.same(fs.readFileSync(file).subarray(1, 4), Buffer.from('PNG'), 'a PNG')
    t.comment(`screenshot: ${file}`)
    t.same(errors, [], 'and no test\'s page logged an error')
  })
})
