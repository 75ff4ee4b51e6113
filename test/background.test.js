'use strict'
// Background tasks: Starlette's BackgroundTask / BackgroundTasks, run in order once the response
// has ended; the first failure stops the rest and is logged; app.close() waits for them, up to
// closeTimeout.
// Plus reply.backgroundTasks, the request-scoped collection, whatever the route sends.
const t = require('tap')
const http = require('node:http')
const { startApp, request, logCapture } = require('./helpers')
const { openH2 } = require('./stream-client')
const { Response, JSONResponse, BackgroundTask, BackgroundTasks, errors } = require('fastify-responses')

/** A promise with its resolve function, to let a test decide when something happens. */
function deferred () {
  let resolve
  const promise = new Promise((_resolve) => { resolve = _resolve })
  return { promise, resolve }
}

t.test('a function, a BackgroundTask and BackgroundTasks run after the response (Starlette test_async_task, test_sync_task)', async (t) => {
  const ran = []
  const app = await startApp(t, (app) => {
    app.get('/function', () => new Response('f', { background: () => { ran.push('function') } }))
    app.get('/task', () => new Response('t', { background: new BackgroundTask(async (a, b) => { ran.push(`task ${a} ${b}`) }, 1, 'two') }))
    app.get('/tasks', () => new Response('ts', { background: new BackgroundTasks([new BackgroundTask((x) => ran.push(`first ${x}`), 'x')]).addTask(() => ran.push('second')) }))
  })
  for (const path of ['/function', '/task', '/tasks']) await request(app, path)
  await app.close()
  t.same(ran, ['function', 'task 1 two', 'first x', 'second'])
})

t.test('tasks run in order, each awaited (Starlette test_multiple_tasks)', async (t) => {
  const ran = []
  const tasks = new BackgroundTasks()
  t.equal(tasks.addTask(async (n) => { await new Promise((resolve) => setImmediate(resolve)); ran.push(n) }, 1), tasks, 'addTask chains')
  tasks.addTask((n) => ran.push(n), 2)
  tasks.addTask(async (n) => ran.push(n), 3)
  const app = await startApp(t, (app) => { app.get('/', () => new Response('tasks', { background: tasks })) })
  await request(app, '/')
  await app.close()
  t.same(ran, [1, 2, 3])
})

t.test('the client has the whole response before a task runs', async (t) => {
  const clientDone = deferred()
  let sawClientDone = false
  const app = await startApp(t, (app) => {
    app.get('/', () => new Response('x'.repeat(100000), {
      background: async () => {
        await clientDone.promise
        sawClientDone = true
      }
    }))
  })
  const res = await request(app, '/')
  t.equal(res.body.length, 100000, 'the response did not wait for the task')
  clientDone.resolve()
  await app.close()
  t.equal(sawClientDone, true)
})

t.test('the first failure stops the rest, is logged with the request id, and the server keeps serving (Starlette test_multi_tasks_failure_avoids_next_execution)', async (t) => {
  const logs = logCapture()
  const ran = []
  const app = await startApp(t, (app) => {
    app.get('/', () => new Response('ok', {
      background: new BackgroundTasks()
        .addTask(() => ran.push('first'))
        .addTask(() => { throw new Error('task broke') })
        .addTask(() => ran.push('never'))
    }))
    app.get('/after', async (request, reply) => {
      reply.backgroundTasks.addTask(() => ran.push('request task'))
      return reply.response('after')
    })
  }, { fastifyOptions: logs.fastifyOptions })
  const res = await request(app, '/')
  t.equal(res.text, 'ok')
  t.equal((await request(app, '/after')).text, 'after', 'the server keeps serving')
  await app.close()
  t.same(ran, ['first', 'request task'])
  const failures = logs.lines.filter((line) => line.level === 50)
  t.equal(failures.length, 1)
  t.equal(failures[0].err.message, 'task broke')
  t.equal(failures[0].msg, 'background task failed; the tasks after it were not run')
  const served = logs.lines.find((line) => line.req?.url === '/')
  t.equal(failures[0].reqId, served.reqId, 'logged with the request id')
})

t.test('a rejected async task is logged the same way', async (t) => {
  const logs = logCapture()
  const app = await startApp(t, (app) => {
    app.get('/', () => new Response('ok', { background: async () => { throw new Error('async broke') } }))
  }, { fastifyOptions: logs.fastifyOptions })
  await request(app, '/')
  await app.close()
  t.equal(logs.lines.find((line) => line.level === 50).err.message, 'async broke')
})

t.test('app.close() waits for tasks still running', async (t) => {
  const started = deferred()
  const closing = deferred()
  const events = []
  const app = await startApp(t, (app) => {
    app.get('/', () => new Response('ok', {
      background: async () => {
        started.resolve()
        await closing.promise
        // One more turn of the event loop: a close that did not wait would end within it, as
        // Fastify goes from one onClose hook to the next without waiting for I/O.
        await new Promise((resolve) => setImmediate(resolve))
        events.push('task finished')
      }
    }))
    // Fastify runs onClose hooks last added first: this one, while close is under way, before the plugin's.
    app.addHook('onClose', async () => {
      events.push('closing')
      closing.resolve()
    })
  })
  await request(app, '/')
  await started.promise
  await app.close()
  events.push('closed')
  t.same(events, ['closing', 'task finished', 'closed'])
})

t.test('reply.backgroundTasks works from hooks and handlers, whatever the route sends', async (t) => {
  const ran = {}
  const record = (path, what) => { (ran[path] ??= []).push(what) }
  const app = await startApp(t, (app) => {
    app.addHook('onRequest', async (request, reply) => {
      reply.backgroundTasks.addTask((url) => record(url, 'hook'), request.url)
    })
    app.get('/object', async (request, reply) => {
      reply.backgroundTasks.addTask(() => record('/object', 'handler'))
      return { plain: true }
    })
    app.get('/instance', (request, reply) => {
      reply.backgroundTasks.addTask(() => record('/instance', 'handler'))
      return new JSONResponse({ instance: true }, { background: () => record('/instance', 'response') })
    })
    app.get('/decorator', async (request, reply) => {
      reply.backgroundTasks.addTask(() => record('/decorator', 'handler'))
      return reply.plainTextResponse('decorator', { background: new BackgroundTask(() => record('/decorator', 'response')) })
    })
    app.get('/send', (request, reply) => {
      reply.backgroundTasks.addTask(() => record('/send', 'handler'))
      reply.send('sent')
    })
    app.get('/same', (request, reply) => {
      t.equal(reply.backgroundTasks, reply.backgroundTasks, 'one collection per request')
      t.ok(reply.backgroundTasks instanceof BackgroundTasks)
      return 'same'
    })
  })
  for (const path of ['/object', '/instance', '/decorator', '/send', '/same']) t.equal((await request(app, path)).status, 200, path)
  await app.close()
  t.same(ran, {
    '/object': ['hook', 'handler'],
    '/instance': ['response', 'hook', 'handler'],
    '/decorator': ['response', 'hook', 'handler'],
    '/send': ['hook', 'handler'],
    '/same': ['hook']
  }, "the response's own tasks first, then the request's, none dropped")
})

t.test('background tasks do not run when an error response replaced the response', async (t) => {
  const ran = []
  const app = await startApp(t, (app) => {
    app.get('/throws', async (request, reply) => {
      reply.backgroundTasks.addTask(() => ran.push('request task'))
      throw new Error('handler failed')
    })
    app.get('/render-fails', () => new JSONResponse({ n: 1n }, { background: () => ran.push('response task') }))
    app.register(async (scope) => {
      scope.addHook('onSend', async (request, reply, payload) => {
        if (request.url === '/hook-fails') throw new Error('onSend failed')
        return payload
      })
      scope.get('/hook-fails', () => new Response('x', { background: () => ran.push('response task') }))
    })
    app.get('/ok', () => new Response('ok', { background: () => ran.push('ok task') }))
  })
  for (const path of ['/throws', '/render-fails', '/hook-fails']) t.equal((await request(app, path)).status, 500, path)
  t.equal((await request(app, '/ok')).text, 'ok')
  await app.close()
  t.same(ran, ['ok task'])
})

t.test('tasks run when the client went away before the response ended', async (t) => {
  const ran = deferred()
  const handlerStarted = deferred()
  const clientGone = deferred()
  const app = await startApp(t, (app) => {
    app.get('/', async (request, reply) => {
      reply.backgroundTasks.addTask(() => ran.resolve('ran'))
      handlerStarted.resolve()
      await clientGone.promise
      return reply.response('too late')
    })
  })
  const req = http.get(app.baseUrl + '/', { agent: false })
  const closed = new Promise((resolve) => req.on('close', resolve))
  req.on('error', () => {})
  await handlerStarted.promise
  req.destroy()
  await closed
  clientGone.resolve()
  t.equal(await ran.promise, 'ran')
})

t.test('invalid tasks are refused with a code', async (t) => {
  for (const [name, make] of [
    ['a BackgroundTask of a non-function', () => new BackgroundTask(42)],
    ['BackgroundTasks of non-tasks', () => new BackgroundTasks([() => {}])],
    ['addTask of a non-function', () => new BackgroundTasks().addTask('nope')],
    ['a background that is not a task', () => new Response('x', { background: 'nope' })],
    ['a background object', () => new Response('x', { background: { run () {} } })]
  ]) {
    const err = t.throws(make, name)
    t.equal(err.code, 'FST_RESPONSES_INVALID_BACKGROUND', name)
    t.ok(err instanceof errors.FST_RESPONSES_INVALID_BACKGROUND, name)
  }
  t.equal(new Response('x', { background: null }).background, null, 'null means no background')
})

t.test('BackgroundTask keeps its function and arguments; run() can be called directly', async (t) => {
  const calls = []
  const task = new BackgroundTask((a, b) => calls.push([a, b]), 1, 2)
  t.same(task.args, [1, 2])
  t.equal(typeof task.func, 'function')
  await task.run()
  const tasks = new BackgroundTasks([task])
  t.equal(tasks.tasks.length, 1)
  await tasks.run()
  t.same(calls, [[1, 2], [1, 2]])
})

t.test('reply.backgroundTasks first used in onResponse, or once the response closed, still runs, over HTTP/1.1 and HTTP/2', async (t) => {
  for (const http2 of [false, true]) {
    const protocol = http2 ? 'HTTP/2' : 'HTTP/1.1'
    const inHook = deferred()
    const afterClose = deferred()
    const app = await startApp(t, (app) => {
      app.register(async (scope) => {
        scope.addHook('onResponse', async (request, reply) => {
          reply.backgroundTasks.addTask(() => inHook.resolve('ran'))
        })
        scope.get('/in-hook', () => 'in hook')
      })
      app.get('/after-close', async (request, reply) => {
        reply.raw.once('close', () => {
          const closed = http2 ? reply.raw.stream.closed : reply.raw.closed
          reply.backgroundTasks.addTask(() => afterClose.resolve(closed))
        })
        return 'after close'
      })
    }, { fastifyOptions: { http2 } })
    for (const path of ['/in-hook', '/after-close']) {
      if (http2) t.equal(await (await openH2(app, path)).ended, 'complete', `${protocol} ${path}`)
      else t.equal((await request(app, path)).status, 200, `${protocol} ${path}`)
    }
    t.equal(await inHook.promise, 'ran', `${protocol}: added in onResponse`)
    t.equal(await afterClose.promise, true, `${protocol}: added once the response had closed`)
  }
})

t.test('app.close() returns after closeTimeout while tasks never settle, and logs how many still run', async (t) => {
  const logs = logCapture()
  let settled = false
  const app = await startApp(t, (app) => {
    app.get('/never', () => new Response('ok', { background: () => new Promise(() => {}) }))
    app.get('/settles', () => new Response('ok', { background: async () => { settled = true } }))
  }, { pluginOptions: { closeTimeout: 20 }, fastifyOptions: logs.fastifyOptions })
  await request(app, '/never')
  await request(app, '/never')
  await request(app, '/settles')
  await app.close()
  t.equal(settled, true, 'the task that settles ran')
  const line = logs.lines.find((line) => /stopped waiting for background tasks/.test(line.msg))
  t.match(line, { level: 40, running: 2, closeTimeout: 20, msg: /closeTimeout: 2 still running/ })
})
