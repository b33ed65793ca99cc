/**
 * The dashboard's rules about time, pure: no I/O, no reading the system clock (`now` is passed in).
 * The SQL in dashboard.sql.ts counts by the same rules (`timescaleOutcomeSql` mirrors
 * `timescaleOutcome`); docs/insight-figures.md says what each figure counts.
 */

/**
 * The instant the figures are counted at: the end of the as-at day, or now when that is still to
 * come (as at today). A clock not yet due by then is still running, whatever the calendar says.
 */
export function countedAt(asAtCutoff: Date, now: Date): Date {
  return asAtCutoff.getTime() <= now.getTime() ? asAtCutoff : now
}

/**
 * Where a strategy meeting clock (24 hours from the concern being confirmed) stands at `at`:
 * - WITHIN: its meeting (or discussion) was held by the time it was due.
 * - LATE: held after it was due.
 * - OVERDUE: not held, and the time it was due has passed.
 * - MISSED_BEFORE_CLOSING: stopped because the case closed, after it was due, never held.
 * - CLOSED_BEFORE_DUE: stopped because the case closed before it was due: no meeting was owed.
 * - RUNNING: not held, and not yet due.
 * - NOT_STARTED: the concern was confirmed after `at`.
 * Only what had happened before `at` counts: a meeting held after it leaves the clock OVERDUE
 * or RUNNING, as it was then.
 */
export const TIMESCALE_OUTCOMES = [
  'WITHIN',
  'LATE',
  'OVERDUE',
  'MISSED_BEFORE_CLOSING',
  'CLOSED_BEFORE_DUE',
  'RUNNING',
  'NOT_STARTED',
] as const
export type TimescaleOutcome = (typeof TIMESCALE_OUTCOMES)[number]

/** The clocks that fell due: the denominator of "within 24 hours". */
export const FELL_DUE: readonly TimescaleOutcome[] = ['WITHIN', 'LATE', 'OVERDUE', 'MISSED_BEFORE_CLOSING']
/** Shown on their own as "still running", never in the denominator. */
export const STILL_RUNNING: readonly TimescaleOutcome[] = ['RUNNING']

export type TimescaleClock = { startedAt: Date; dueAt: Date; metAt: Date | null; stopReason: string | null }

export function timescaleOutcome(clock: TimescaleClock, at: Date): TimescaleOutcome {
  const due = clock.dueAt.getTime()
  const when = at.getTime()
  if (clock.metAt && clock.metAt.getTime() < when) {
    const stopped = clock.metAt.getTime()
    if (clock.stopReason === null) return stopped <= due ? 'WITHIN' : 'LATE'
    return stopped > due ? 'MISSED_BEFORE_CLOSING' : 'CLOSED_BEFORE_DUE'
  }
  if (clock.startedAt.getTime() >= when) return 'NOT_STARTED'
  return when > due ? 'OVERDUE' : 'RUNNING'
}
