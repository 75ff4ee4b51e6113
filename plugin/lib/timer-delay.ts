/** Milliseconds a timer can wait: Node fires a larger delay at once, with a warning. */
export function isTimerDelay (value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 2 ** 31 - 1
}
