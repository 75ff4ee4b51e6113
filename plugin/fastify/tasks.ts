// When background tasks run: once per reply, after the response has ended (all bytes written
// or the client gone), the response's own tasks first, then `reply.backgroundTasks`.
// Nothing runs when an error response replaced the one that carried them.
import type { FastifyBaseLogger } from 'fastify'
import type { ServerResponse } from 'node:http'
import { BackgroundTasks, type Runnable } from '../lib/background.js'

export class PendingTasks {
  response: Runnable | undefined = undefined
  #request: BackgroundTasks | undefined = undefined
  cancelled = false

  constructor (raw: ServerResponse, log: FastifyBaseLogger, running: Set<Promise<void>>) {
    const start = (): void => {
      if (this.cancelled || (this.response === undefined && this.#request === undefined)) return
      const run = this.#run(log)
      running.add(run)
      run.finally(() => running.delete(run))
    }
    // First used after the response closed (an onResponse hook, after an await): run on the
    // next turn, once the caller has added its tasks.
    if (raw.closed) setImmediate(start)
    else raw.once('close', start)
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
