import { createHash } from 'node:crypto'

/**
 * Deterministic randomness for the synthetic data: a small, fast PRNG (mulberry32) seeded per
 * entity from (seed, stream, index), so any child's data is the same whatever the batch size,
 * the order of generation or the number of workers.
 */
export type Rng = {
  /** [0, 1) */
  next(): number
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number
  pick<T>(items: readonly T[]): T
  /** Picks a key by weight: { GREEN: 45, AMBER: 45, RED: 10 }. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K
  chance(p: number): boolean
  /** A version-4-shaped UUID drawn from this stream (deterministic, not random). */
  uuid(): string
}

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A 32-bit hash of the parts (FNV-1a over their text), to seed one entity's stream. */
function hash32(parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5
  const text = parts.join('\u0000')
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export function rngFor(seed: number, stream: string, index: number | string = 0): Rng {
  const next = mulberry32(hash32([seed, stream, index]))
  let drawn = 0
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted(weights) {
      const entries = Object.entries(weights) as [keyof typeof weights, number][]
      const total = entries.reduce((s, [, w]) => s + w, 0)
      let r = next() * total
      for (const [k, w] of entries) {
        r -= w
        if (r < 0) return k
      }
      return entries[entries.length - 1]![0]
    },
    chance: (p) => next() < p,
    uuid() {
      // From a hash of the entity's identity and a counter, not from the 32-bit PRNG: a 32-bit
      // state gives only 2^32 distinct ids, and by the birthday bound 100,000 children already
      // draw the same id twice (a duplicate key at the 100,000-children seed).
      const b = createHash('md5').update(`${seed}\u0000${stream}\u0000${index}\u0000${drawn++}`).digest()
      b[6] = (b[6]! & 0x0f) | 0x40
      b[8] = (b[8]! & 0x3f) | 0x80
      const h = b.toString('hex')
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
    },
  }
  return rng
}
