// A memo for values computed from keys that are few in practice but may come from users: it
// stops growing at `max` entries rather than evicting, so a flood of new keys costs a compute
// each, never memory.

export function memoize<K, V> (compute: (key: K) => V, max: number): (key: K) => V {
  const memo = new Map<K, V>()
  return (key) => {
    let value = memo.get(key)
    if (value === undefined) {
      value = compute(key)
      if (memo.size < max) memo.set(key, value)
    }
    return value
  }
}
