import { ENGLAND_AND_WALES_BANK_HOLIDAYS, type BankHolidays } from './bank-holidays.js'
import {
  addCalendarDays,
  calendarDaysBetween,
  endOfLondonDay,
  formatLondonDate,
  formatLondonTime,
  londonDate,
  startOfLondonDay,
} from './london-time.js'
import { addHours, addWorkingDays, nthWorkingDayAfter, workingDaysBetween } from './working-days.js'

/**
 * Statutory and pathway timescales (England): when each clock is due, whether it is due soon,
 * overdue or met, and how to say so. Pure: no I/O, no reading the system clock (`now` is passed in).
 */

export const CLOCK_KINDS = {
  /** 24 hours from screening rated amber or red (seed pathway). */
  STRATEGY_MEETING: 'STRATEGY_MEETING',
  /** 1 working day from the referral being received. */
  REFERRAL_DECISION: 'REFERRAL_DECISION',
  /** Child and family assessment: 45 working days from the referral. */
  ASSESSMENT: 'ASSESSMENT',
  /** Initial child protection conference: 15 working days from the strategy discussion that started s47. */
  INITIAL_CONFERENCE: 'INITIAL_CONFERENCE',
  /** AIM assessment limit: 8 weeks from the decision to assess (court directions can extend it). */
  AIM_INTERVIEWS: 'AIM_INTERVIEWS',
  /** AIM assessment target: 6 weeks from the decision to assess (the 8-week limit is AIM_INTERVIEWS). */
  AIM_TARGET: 'AIM_TARGET',
  /** Serious incident notification to the national panel: 5 working days from the authority becoming aware. */
  SERIOUS_INCIDENT_NOTIFICATION: 'SERIOUS_INCIDENT_NOTIFICATION',
  /** Rapid review: 15 working days from the notification. */
  RAPID_REVIEW: 'RAPID_REVIEW',
} as const
export type ClockKind = (typeof CLOCK_KINDS)[keyof typeof CLOCK_KINDS]
export const ALL_CLOCK_KINDS: readonly ClockKind[] = Object.values(CLOCK_KINDS)

/** Each clock in words, with its statutory length. */
export const CLOCK_LABELS: Record<ClockKind, string> = {
  STRATEGY_MEETING: 'Strategy meeting (24 hours)',
  REFERRAL_DECISION: 'Referral decision (1 working day)',
  ASSESSMENT: 'Child and family assessment (45 working days)',
  INITIAL_CONFERENCE: 'Initial child protection conference (15 working days)',
  AIM_INTERVIEWS: 'AIM assessment limit (8 weeks from the decision)',
  AIM_TARGET: 'AIM assessment target (6 weeks from the decision)',
  SERIOUS_INCIDENT_NOTIFICATION: 'Serious incident notification (5 working days)',
  RAPID_REVIEW: 'Rapid review (15 working days)',
}

export const CLOCK_STATES = {
  RUNNING: 'RUNNING',
  DUE_SOON: 'DUE_SOON',
  OVERDUE: 'OVERDUE',
  MET: 'MET',
  MET_LATE: 'MET_LATE',
  /** Stopped without its step: the case closed first. */
  STOPPED: 'STOPPED',
} as const

/** Why a clock stopped other than by its own step (case_clock.stop_reason). */
export const CLOCK_STOP_REASONS = { CASE_CLOSED: 'CASE_CLOSED' } as const
export type ClockStopReason = keyof typeof CLOCK_STOP_REASONS
export type ClockState = (typeof CLOCK_STATES)[keyof typeof CLOCK_STATES]

export type TimescaleUnit = 'hours' | 'working-days' | 'weeks'
export interface Timescale {
  unit: TimescaleUnit
  length: number
}
export type Timescales = Record<ClockKind, Timescale>

export const DEFAULT_TIMESCALES: Readonly<Timescales> = {
  STRATEGY_MEETING: { unit: 'hours', length: 24 },
  REFERRAL_DECISION: { unit: 'working-days', length: 1 },
  ASSESSMENT: { unit: 'working-days', length: 45 },
  INITIAL_CONFERENCE: { unit: 'working-days', length: 15 },
  AIM_INTERVIEWS: { unit: 'weeks', length: 8 },
  AIM_TARGET: { unit: 'weeks', length: 6 },
  SERIOUS_INCIDENT_NOTIFICATION: { unit: 'working-days', length: 5 },
  RAPID_REVIEW: { unit: 'working-days', length: 15 },
}

/**
 * A partnership's local timescales: the defaults with some lengths changed. Units are fixed
 * (a working-days clock stays one). Lengths must be whole numbers of 1 or more.
 */
export function withLocalLengths(lengths: Partial<Record<ClockKind, number>>, base: Readonly<Timescales> = DEFAULT_TIMESCALES): Timescales {
  const result = { ...base }
  for (const kind of ALL_CLOCK_KINDS) {
    const length = lengths[kind]
    if (length === undefined) continue
    checkLength(kind, length)
    result[kind] = { unit: base[kind].unit, length }
  }
  return result
}

function checkLength(kind: ClockKind, length: number): void {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`The ${kind} timescale must be a whole number, 1 or more: ${length}`)
}

/**
 * When a clock started at `startedAt` falls due.
 * - hours: exactly that many hours later (24 hours is 24 hours, weekends and clock changes included).
 * - working-days: the end (23:59:59.999 London) of working day N after the start date; see working-days.ts.
 * - weeks: the end of the UK calendar day N × 7 days after the start date, whatever day of the
 *   week that is (a Monday decision is due by the end of the Monday 8 weeks later).
 */
export function dueAt(
  kind: ClockKind,
  startedAt: Date | string,
  timescales: Readonly<Timescales> = DEFAULT_TIMESCALES,
  holidays: BankHolidays = ENGLAND_AND_WALES_BANK_HOLIDAYS,
): Date {
  const { unit, length } = timescales[kind]
  checkLength(kind, length)
  switch (unit) {
    case 'hours':
      return addHours(startedAt, length)
    case 'working-days':
      return addWorkingDays(startedAt, length, holidays)
    case 'weeks':
      return endOfLondonDay(addCalendarDays(londonDate(startedAt), length * 7))
  }
}

/**
 * How many of a clock's last units count as "due soon": a fifth of its length, rounded up, and
 * at least one. 24 hours → the last 5 hours; 45 working days → the last 9; 15 → 3; 5 → 1;
 * 1 working day → the whole of its one day; 8 weeks → the last 2, so due soon from 6 weeks as
 * the AIM guidance has it.
 *
 * We chose a fifth for every unit, hours included, rather than "the last 24 hours" for the hours
 * clock: with a 24-hour strategy meeting clock that would be due soon from the moment it
 * started, and RUNNING would never be seen.
 */
export function dueSoonUnits(length: number): number {
  return Math.max(1, Math.ceil(length / 5))
}

/** When a clock becomes due soon: the start of its last `dueSoonUnits(length)` units. */
export function dueSoonAt(
  kind: ClockKind,
  startedAt: Date | string,
  timescales: Readonly<Timescales> = DEFAULT_TIMESCALES,
  holidays: BankHolidays = ENGLAND_AND_WALES_BANK_HOLIDAYS,
): Date {
  const { unit, length } = timescales[kind]
  checkLength(kind, length)
  const window = Math.min(length, dueSoonUnits(length))
  switch (unit) {
    case 'hours':
      return addHours(startedAt, length - window)
    case 'working-days':
      // The start (midnight) of the first of the last `window` working days.
      return startOfLondonDay(nthWorkingDayAfter(startedAt, length - window + 1, holidays))
    case 'weeks':
      return startOfLondonDay(addCalendarDays(londonDate(startedAt), (length - window) * 7 + 1))
  }
}

/**
 * When a running clock becomes due soon, from its own start and due moments: its length is
 * the one it started with, so a partnership changing a timescale later does not move it.
 * The same rule as the queues' SQL (`dueSoonAtSql`).
 */
export function dueSoonAtOf(kind: ClockKind, startedAt: Date, due: Date, holidays: BankHolidays = ENGLAND_AND_WALES_BANK_HOLIDAYS): Date {
  const unit = DEFAULT_TIMESCALES[kind].unit
  const length =
    unit === 'hours'
      ? Math.round((due.getTime() - startedAt.getTime()) / 3_600_000)
      : unit === 'weeks'
        ? Math.round(calendarDaysBetween(londonDate(startedAt), londonDate(due)) / 7)
        : workingDaysBetween(startedAt, due, holidays)
  return dueSoonAt(kind, startedAt, { ...DEFAULT_TIMESCALES, [kind]: { unit, length: Math.max(1, length) } }, holidays)
}

export interface ClockFacts {
  dueAt: Date
  /** From `dueSoonAt()`; without it a clock is RUNNING until it is overdue. */
  dueSoonAt?: Date | null
  /** When it stopped: met by its step, or stopped for `stopReason`. */
  metAt?: Date | null
  /** Set when it stopped without its step (the case closed). */
  stopReason?: ClockStopReason | null
  now: Date
  missedReason?: string | null
}

/**
 * - MET: met on or before the due moment; MET_LATE: met after it (whatever `now` is).
 * - STOPPED: stopped because the case closed, on or before the due moment; stopped after it is
 *   MET_LATE's missed counterpart and reads as overdue when it stopped (see `describeClock`).
 * - OVERDUE: not met and `now` is after the due moment.
 * - DUE_SOON: not met, not overdue, and `now` is at or after `dueSoonAt`.
 * - RUNNING: otherwise.
 * `needsReason` is true when the clock is MET_LATE or OVERDUE and no reason (other than blank) is recorded.
 */
export function clockState(facts: ClockFacts): { state: ClockState; needsReason: boolean } {
  const due = facts.dueAt.getTime()
  const hasReason = (facts.missedReason ?? '').trim() !== ''
  let state: ClockState
  if (facts.metAt && facts.stopReason) state = CLOCK_STATES.STOPPED
  else if (facts.metAt) state = facts.metAt.getTime() <= due ? CLOCK_STATES.MET : CLOCK_STATES.MET_LATE
  else if (facts.now.getTime() > due) state = CLOCK_STATES.OVERDUE
  else if (facts.dueSoonAt && facts.now.getTime() >= facts.dueSoonAt.getTime()) state = CLOCK_STATES.DUE_SOON
  else state = CLOCK_STATES.RUNNING
  const stoppedLate = state === CLOCK_STATES.STOPPED && facts.metAt!.getTime() > due
  const missed = state === CLOCK_STATES.OVERDUE || state === CLOCK_STATES.MET_LATE || stoppedLate
  return { state, needsReason: missed && !hasReason }
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`
}

/** How late `at` is after `due`, in the clock's own terms; null when under one working day (e.g. a weekend). */
function lateness(unit: TimescaleUnit, due: Date, at: Date, holidays: BankHolidays): string | null {
  if (unit === 'working-days') {
    const days = workingDaysBetween(due, at, holidays)
    return days >= 1 ? plural(days, 'working day', 'working days') : null
  }
  if (unit === 'weeks') return plural(Math.max(1, calendarDaysBetween(londonDate(due), londonDate(at))), 'day', 'days')
  const minutes = Math.max(1, Math.floor((at.getTime() - due.getTime()) / 60_000))
  if (minutes < 60) return plural(minutes, 'minute', 'minutes')
  if (minutes < 48 * 60) return plural(Math.floor(minutes / 60), 'hour', 'hours')
  return plural(Math.floor(minutes / (24 * 60)), 'day', 'days')
}

/** 'at 9:05am, 20 November 2026' for hours clocks; 'on 20 November 2026' for day-based ones. */
function when(unit: TimescaleUnit, instant: Date): string {
  return unit === 'hours' ? `at ${formatLondonTime(instant)}, ${formatLondonDate(instant)}` : `on ${formatLondonDate(instant)}`
}

/** 'by 5pm, 24 November 2026' for hours clocks; 'by 24 November 2026' (meaning the end of that day) otherwise. */
function by(unit: TimescaleUnit, instant: Date): string {
  return unit === 'hours' ? `by ${formatLondonTime(instant)}, ${formatLondonDate(instant)}` : `by ${formatLondonDate(instant)}`
}

/**
 * Plain English for the UI, in GOV.UK date style:
 * - RUNNING or DUE_SOON: 'Due by 5pm, 24 November 2026' (hours) or 'Due by 24 November 2026'.
 * - OVERDUE: 'Overdue by 3 hours' (hours: minutes under an hour, days from 48 hours),
 *   'Overdue by 2 working days', 'Overdue by 5 days' (weeks); when a working-days clock is
 *   overdue by less than a working day (a weekend or bank holiday after the due date):
 *   'Overdue: was due by 27 November 2026'.
 * - MET: 'Met on 20 November 2026', or 'Met at 9:05am, 20 November 2026' for hours clocks.
 * - MET_LATE: as MET with the lateness: 'Met on 20 November 2026, 2 working days late'.
 * - STOPPED: 'Stopped on 20 November 2026: case closed', with ', 2 working days overdue' when
 *   it was overdue by then.
 */
export function describeClock(
  facts: ClockFacts & { unit: TimescaleUnit },
  holidays: BankHolidays = ENGLAND_AND_WALES_BANK_HOLIDAYS,
): string {
  const { unit } = facts
  const { state } = clockState(facts)
  switch (state) {
    case CLOCK_STATES.RUNNING:
    case CLOCK_STATES.DUE_SOON:
      return `Due ${by(unit, facts.dueAt)}`
    case CLOCK_STATES.OVERDUE: {
      const late = lateness(unit, facts.dueAt, facts.now, holidays)
      return late ? `Overdue by ${late}` : `Overdue: was due ${by(unit, facts.dueAt)}`
    }
    case CLOCK_STATES.MET:
    case CLOCK_STATES.MET_LATE: {
      const metAt = facts.metAt ?? facts.now
      const met = `Met ${when(unit, metAt)}`
      if (state === CLOCK_STATES.MET) return met
      const late = lateness(unit, facts.dueAt, metAt, holidays)
      return late ? `${met}, ${late} late` : `${met}, late`
    }
    case CLOCK_STATES.STOPPED: {
      const stoppedAt = facts.metAt ?? facts.now
      const stopped = `Stopped ${when(unit, stoppedAt)}: case closed`
      if (stoppedAt.getTime() <= facts.dueAt.getTime()) return stopped
      const late = lateness(unit, facts.dueAt, stoppedAt, holidays)
      return late ? `${stopped}, ${late} overdue` : `${stopped}, overdue`
    }
  }
}
