import pLimit from 'p-limit'

/**
 * Work that holds a scarce resource (a database connection) while it runs: at most `atOnce`
 * pieces run at the same time in this process, the rest wait their turn here; and a piece asked
 * for again, by the same key, while it is running or waiting is shared rather than done twice.
 * Nothing is kept once a piece settles: the next call with that key runs it afresh.
 */
export function sharedWork<T>(atOnce: number) {
  const limit = pLimit(atOnce)
  const pending = new Map<string, Promise<T>>()
  return {
    run(key: string, work: () => Promise<T>): Promise<T> {
      const running = pending.get(key)
      if (running) return running
      const started = limit(work).finally(() => pending.delete(key))
      pending.set(key, started)
      return started
    },
    /** Pieces running now, and waiting for their turn. */
    get load() {
      return { running: limit.activeCount, waiting: limit.pendingCount }
    },
  }
}
