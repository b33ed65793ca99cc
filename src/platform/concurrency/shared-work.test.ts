import { describe, expect, it } from 'vitest'
import { sharedWork } from './shared-work.js'

/** A piece of work that finishes when told to, recording that it started. */
function gate() {
  let open!: (value: string) => void
  let fail!: (err: Error) => void
  const promise = new Promise<string>((resolve, reject) => ((open = resolve), (fail = reject)))
  return { promise, open, fail }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('shared work', () => {
  it('runs at most the limit at once; the rest wait their turn and then run', async () => {
    const work = sharedWork<string>(2)
    const gates = [gate(), gate(), gate()]
    const started: number[] = []
    const results = gates.map((g, i) => work.run(`k${i}`, () => (started.push(i), g.promise)))
    await tick()
    expect(started).toEqual([0, 1])
    expect(work.load).toEqual({ running: 2, waiting: 1 })
    gates[0]!.open('a')
    await tick()
    expect(started).toEqual([0, 1, 2])
    gates[1]!.open('b')
    gates[2]!.open('c')
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c'])
  })

  it('shares a piece asked for again while it runs, and runs it afresh once it has settled', async () => {
    const work = sharedWork<string>(4)
    let runs = 0
    const g = gate()
    const first = work.run('same', () => (runs++, g.promise))
    const second = work.run('same', () => (runs++, Promise.resolve('other')))
    g.open('counted once')
    expect(await Promise.all([first, second])).toEqual(['counted once', 'counted once'])
    expect(runs).toBe(1)
    expect(await work.run('same', () => (runs++, Promise.resolve('again')))).toBe('again')
    expect(runs).toBe(2)
  })

  it('passes a failure to everyone sharing it, and does not keep it', async () => {
    const work = sharedWork<string>(1)
    const g = gate()
    const first = work.run('k', () => g.promise)
    const second = work.run('k', () => Promise.resolve('unused'))
    g.fail(new Error('database unavailable'))
    await expect(first).rejects.toThrow('database unavailable')
    await expect(second).rejects.toThrow('database unavailable')
    expect(await work.run('k', () => Promise.resolve('recovered'))).toBe('recovered')
  })
})
