// Keep-alive for streams whose source can be silent for long (server-sent events through
// proxies): `onSilence` is called each time `ms` pass while the reader waits for the source.
// One timer per stream, checked when it fires rather than reset for every item: a busy source
// costs a clock read per item, not a timer.

/** Time and timers; replaceable so that the schedule can be tested without waiting. */
export interface Clock {
  now (): number
  setTimeout (callback: () => void, ms: number): unknown
  clearTimeout (timer: unknown): void
}

const systemClock: Clock = {
  now: Date.now,
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout)
}

export class KeepAlive {
  readonly ms: number
  // Says whether the reader still wants more: a reader that stopped gets no pings piling up.
  readonly #onSilence: () => boolean
  readonly #clock: Clock
  #waitingSince: number | undefined
  #timer: unknown

  constructor (ms: number, onSilence: () => boolean, clock: Clock = systemClock) {
    this.ms = ms
    this.#onSilence = onSilence
    this.#clock = clock
  }

  /** The reader waits for the source from now on. */
  waiting (): void {
    this.#waitingSince = this.#clock.now()
    this.#timer ??= this.#clock.setTimeout(this.#check, this.ms)
  }

  /** The source answered: no silence to fill until the next wait. */
  answered (): void {
    this.#waitingSince = undefined
  }

  stop (): void {
    this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
    this.#waitingSince = undefined
  }

  readonly #check = (): void => {
    this.#timer = undefined
    if (this.#waitingSince === undefined) return
    const silent = this.#clock.now() - this.#waitingSince
    if (silent < this.ms) {
      this.#timer = this.#clock.setTimeout(this.#check, this.ms - silent)
      return
    }
    this.waiting()
    if (!this.#onSilence()) this.answered()
  }
}
