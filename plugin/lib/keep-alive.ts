// Keep-alive for streams whose source can be silent for long (server-sent events through
// proxies): `onSilence` is called each time `ms` pass while the reader waits for the source.
// One timer per stream, checked when it fires rather than reset for every item: a busy source
// costs a clock read per item, not a timer.

export class KeepAlive {
  readonly ms: number
  // Says whether the reader still wants more: a reader that stopped gets no pings piling up.
  readonly #onSilence: () => boolean
  #waitingSince: number | undefined
  #timer: NodeJS.Timeout | undefined

  constructor (ms: number, onSilence: () => boolean) {
    this.ms = ms
    this.#onSilence = onSilence
  }

  /** The reader waits for the source from now on. */
  waiting (): void {
    this.#waitingSince = Date.now()
    this.#timer ??= setTimeout(this.#check, this.ms)
  }

  /** The source answered: no silence to fill until the next wait. */
  answered (): void {
    this.#waitingSince = undefined
  }

  stop (): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#waitingSince = undefined
  }

  readonly #check = (): void => {
    this.#timer = undefined
    if (this.#waitingSince === undefined) return
    const silent = Date.now() - this.#waitingSince
    if (silent < this.ms) {
      this.#timer = setTimeout(this.#check, this.ms - silent)
      return
    }
    this.waiting()
    if (!this.#onSilence()) this.answered()
  }
}
