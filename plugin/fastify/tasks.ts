// When background tasks run: once per reply, after the response has ended (all bytes written
// or the client gone), the response's own tasks first, then `reply.backgroundTasks`.
// Nothing runs when an error response replaced the one that carried them. `app.close()` waits
// for those still running, up to a limit.
import type { FastifyBaseLogger } from 'fastify'
import { BackgroundTasks, type Runnable } from '../lib/background.js'
import { onResponseClose, type RawReply } from './lifecycle.js'

export class PendingTasks {
  response: Runnable | undefined = undefined
  #request: BackgroundTasks | undefined = undefined
  cancelled = false

  constructor (raw: RawReply, log: FastifyBaseLogger, running: Set<Promise<void>>) {
    const start = (): void => {
      if (this.cancelled || (this.response === undefined && this.#request === undefined)) return
      const run = this.#run(log)
      running.add(run)
      run.finally(() => running.delete(run))
    }
    // First used after the response closed (an onResponse hook, after an await): run on the
    // next turn, once the caller has added its tasks.
    onResponseClose(raw, start)
  }

  /** The request-scoped collection (FastAPI's injected BackgroundTasks), made on first use. */
  get requestTasks (): BackgroundTasks {
    this.#request ??= new BackgroundTasks()
    return this.#request
  }

  async #run (log: FastifyBaseLogger): Promise<void> {
    try {
      await this.response?.run()
      await this.#request?.run()
    } catch (err) {
      log.error({ err }, 'background task failed; the tasks after it were not run')
    }
  }
}

/**
 * Waits until no task runs (tasks may start others meanwhile), at most `ms` milliseconds: a task
 * that never settles must not keep the app from closing. What still runs then is logged and left.
 */
export async function waitForTasks (running: Set<Promise<void>>, ms: number, log: FastifyBaseLogger): Promise<void> {
  if (running.size === 0) return
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<true>((resolve) => { timer = setTimeout(resolve, ms, true) })
  try {
    while (running.size > 0) {
      if (await Promise.race([Promise.allSettled([...running]), timedOut]) === true) {
        log.warn({ running: running.size, closeTimeout: ms }, `app.close() stopped waiting for background tasks after closeTimeout: ${running.size} still running`)
        return
      }
    }
  } finally {
    clearTimeout(timer)
  }
}
