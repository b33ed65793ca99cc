import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { countedAt, FELL_DUE, STILL_RUNNING, timescaleOutcome, type TimescaleClock } from './dashboard.rules.js'

const HOUR = 3_600_000
const t0 = new Date('2026-03-10T09:00:00Z')
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR)
/** A strategy meeting clock: concern confirmed at t0, due 24 hours later. */
const clock = (metAt: number | null = null, stopReason: string | null = null): TimescaleClock => ({
  startedAt: t0,
  dueAt: at(24),
  metAt: metAt === null ? null : at(metAt),
  stopReason,
})

describe('countedAt', () => {
  it('is the end of the as-at day, or now while that is still to come', () => {
    const endOfDay = new Date('2026-03-31T23:00:00Z')
    expect(countedAt(endOfDay, new Date('2026-12-07T10:00:00Z'))).toEqual(endOfDay)
    expect(countedAt(endOfDay, new Date('2026-03-31T14:00:00Z'))).toEqual(new Date('2026-03-31T14:00:00Z'))
  })
})

describe('the 24-hour timescale: where a strategy meeting clock stands', () => {
  it('counts a meeting held by the time it was due as within, and one held later as late', () => {
    expect(timescaleOutcome(clock(20), at(100))).toBe('WITHIN')
    expect(timescaleOutcome(clock(24), at(100))).toBe('WITHIN')
    expect(timescaleOutcome(clock(30), at(100))).toBe('LATE')
  })

  it('counts a meeting not held once it is due as overdue, and one not yet due as still running', () => {
    // The red case 6 hours past its meeting.
    expect(timescaleOutcome(clock(), at(30))).toBe('OVERDUE')
    expect(timescaleOutcome(clock(), at(18))).toBe('RUNNING')
    expect(timescaleOutcome(clock(), at(24))).toBe('RUNNING')
  })

  it('tells a case closed after its meeting was due (missed) from one closed before (no meeting owed)', () => {
    expect(timescaleOutcome(clock(30, 'CASE_CLOSED'), at(100))).toBe('MISSED_BEFORE_CLOSING')
    expect(timescaleOutcome(clock(10, 'CASE_CLOSED'), at(100))).toBe('CLOSED_BEFORE_DUE')
  })

  it('reads the clock as it stood at the time counted: what happened later does not count', () => {
    // Held 30 hours after the concern, counted at 26: overdue then.
    expect(timescaleOutcome(clock(30), at(26))).toBe('OVERDUE')
    // Held at 20, counted at 12: still running then.
    expect(timescaleOutcome(clock(20), at(12))).toBe('RUNNING')
    // The case closed at 30, counted at 26: overdue then; counted at 10, closed before due later: running.
    expect(timescaleOutcome(clock(30, 'CASE_CLOSED'), at(26))).toBe('OVERDUE')
    expect(timescaleOutcome(clock(10, 'CASE_CLOSED'), at(5))).toBe('RUNNING')
    // The concern was confirmed after the time counted.
    expect(timescaleOutcome(clock(), at(-1))).toBe('NOT_STARTED')
  })

  it('puts every clock whose due time has passed in the denominator, and none that is still running (property)', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 72 }), { nil: null }),
        fc.boolean(),
        fc.integer({ min: 1, max: 96 }),
        (met, closed, counted) => {
          const c = clock(met, met !== null && closed ? 'CASE_CLOSED' : null)
          const outcome = timescaleOutcome(c, at(counted))
          const stoppedBefore = met !== null && met < counted
          // Due and not stopped by then: always in the denominator, never "within".
          if (counted > 24 && !stoppedBefore) expect(outcome).toBe('OVERDUE')
          // Within only when held (not closed) by its due time, before the time counted.
          expect(outcome === 'WITHIN').toBe(stoppedBefore && !closed && met! <= 24)
          expect(FELL_DUE.includes(outcome) && STILL_RUNNING.includes(outcome)).toBe(false)
          if (STILL_RUNNING.includes(outcome)) expect(counted <= 24 && !stoppedBefore).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })
})
