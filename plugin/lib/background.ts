// Starlette's BackgroundTask / BackgroundTasks: functions run one after another once the
// response has ended. The first failure stops the rest (Starlette's behaviour); the caller logs it.
import { FST_RESPONSES_INVALID_BACKGROUND } from '../errors.js'

type TaskFunction<A extends unknown[]> = (...args: A) => unknown

export class BackgroundTask<A extends unknown[] = unknown[]> {
  readonly func: TaskFunction<A>
  readonly args: A

  constructor (func: TaskFunction<A>, ...args: A) {
    if (typeof func !== 'function') throw new FST_RESPONSES_INVALID_BACKGROUND('a task must be a function')
    this.func = func
    this.args = args
  }

  async run (): Promise<void> {
    await this.func(...this.args)
  }
}

export class BackgroundTasks {
  readonly tasks: BackgroundTask<any[]>[]

  constructor (tasks: Iterable<BackgroundTask<any[]>> = []) {
    this.tasks = [...tasks]
    for (const task of this.tasks) {
      if (!(task instanceof BackgroundTask)) throw new FST_RESPONSES_INVALID_BACKGROUND('BackgroundTasks takes BackgroundTask instances')
    }
  }

  addTask<A extends unknown[]> (func: TaskFunction<A>, ...args: A): this {
    this.tasks.push(new BackgroundTask(func, ...args))
    return this
  }

  async run (): Promise<void> {
    for (const task of this.tasks) await task.run()
  }
}

/** What `background` accepts: a function, a task, or a collection of tasks. */
export type Background = BackgroundTask<any[]> | BackgroundTasks | (() => unknown)
export type Runnable = BackgroundTask<any[]> | BackgroundTasks

export function toBackgroundTask (background: Background | undefined | null): Runnable | undefined {
  if (background === undefined || background === null) return undefined
  if (background instanceof BackgroundTask || background instanceof BackgroundTasks) return background
  if (typeof background === 'function') return new BackgroundTask(background)
  throw new FST_RESPONSES_INVALID_BACKGROUND('background must be a function, a BackgroundTask or BackgroundTasks')
}
