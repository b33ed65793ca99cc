import { sql } from 'kysely'
import type { Act } from '../../platform/access/authorise.js'
import type { AuditDetail, AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import {
  ALL_CLOCK_KINDS,
  CLOCK_LABELS,
  DEFAULT_TIMESCALES,
  type ClockKind,
  type TimescaleUnit,
} from '../../platform/clocks/clocks.rules.js'
import { londonDate, type IsoDate } from '../../platform/clocks/london-time.js'
import { transaction, type Trx } from '../../platform/db/transaction.js'
import { INCOMPLETE_FORM } from '../../platform/forms/forms.js'
import { invalid, type PageFailure } from '../../platform/http/case-pages.js'
import { BadRequestError } from '../../platform/http/errors.js'
import type { FeatureDeps } from '../feature-module.js'
import { timescalesRepository, type TimescaleChangeRow } from './timescales.repository.js'
import { changesAfter, checkChange, isClockKind, lengthOn, localLengthOn, type ChangeInput } from './timescales.rules.js'

type Deps = Pick<FeatureDeps, 'db' | 'audit' | 'access' | 'now'>

/** One clock on the page: its national length, the length in effect today, changes to come, and every change made. */
export type TimescaleClock = {
  kind: ClockKind
  label: string
  unit: TimescaleUnit
  nationalLength: number
  todayLength: number
  /** Whether today's length is the partnership's own. */
  isLocalToday: boolean
  upcoming: { effectiveFrom: IsoDate; length: number }[]
  /** Newest recorded first. */
  history: TimescaleChangeRow[]
}
export type TimescalesPage = { today: IsoDate; clocks: TimescaleClock[] }
export type ClockPage = { today: IsoDate; clock: TimescaleClock }
/** A change as the page sends it: what was typed, and the form's one-time key (null when missing or mangled). */
export type ChangeForm = { input: ChangeInput; key: string | null }
export type ChangeOutcome =
  { ok: true; kind: ClockKind; length: number; effectiveFrom: IsoDate; unit: TimescaleUnit } | PageFailure<ClockPage>

const MANAGE = 'timescales:manage'
const RECORD_TYPE = 'partnership_timescale'
const subject = (action: string, recordId: string | null, detail: AuditDetail = {}): AuditSubject => ({
  action: `timescale:${action}`,
  recordType: RECORD_TYPE,
  recordId,
  detail,
})

function clockOf(changes: readonly TimescaleChangeRow[], kind: ClockKind, today: IsoDate): TimescaleClock {
  return {
    kind,
    label: CLOCK_LABELS[kind],
    unit: DEFAULT_TIMESCALES[kind].unit,
    nationalLength: DEFAULT_TIMESCALES[kind].length,
    todayLength: lengthOn(changes, kind, today),
    isLocalToday: localLengthOn(changes, kind, today) !== null,
    upcoming: changesAfter(changes, kind, today),
    history: changes.filter((c) => c.clockKind === kind),
  }
}

/**
 * Local timescales: the HSB lead or head of service (`timescales:manage`) sets a clock's length
 * from a date, today or later; the command line does the same, from today. Every change is kept
 * and audited (`timescale:change`). The kernel reads the length in effect when each clock starts,
 * so a change needs no restart and never moves a clock already running.
 */
export function timescalesService({ db, audit, access, now = () => new Date() }: Deps) {
  const repo = timescalesRepository()

  /** One change at a time per clock of a partnership, so the length it replaces is the one recorded. */
  const lockClock = (trx: Trx, partnershipId: string, kind: ClockKind) =>
    sql`SELECT pg_advisory_xact_lock(hashtext(${`timescale:${partnershipId}:${kind}`}))`.execute(trx)

  function asManager<T>(user: CurrentUser, requestId: string, action: string, detail: AuditDetail, fn: (act: Act) => Promise<T>) {
    return access.run(user, requestId, async (act) => {
      act.authorise(MANAGE, subject(action, user.partnershipId, detail), 'Only the HSB lead or a head of service can change timescales.')
      return fn(act)
    })
  }

  return {
    /** Every clock with its lengths: national, today's, to come. */
    async overview(user: CurrentUser, requestId: string): Promise<TimescalesPage> {
      return asManager(user, requestId, 'view', {}, async (act) => {
        const today = londonDate(now())
        const changes = await repo.changes(act.trx, user.partnershipId)
        return { today, clocks: ALL_CLOCK_KINDS.map((kind) => clockOf(changes, kind, today)) }
      })
    },

    /** One clock's page: its lengths, the form to change it, and its history. A clock that does not exist is a 404. */
    async clock(user: CurrentUser, kind: string, requestId: string): Promise<ClockPage> {
      return asManager(user, requestId, 'view', { clock: kind.slice(0, 40) }, async (act) => {
        const clockKind = act.found(isClockKind(kind) ? kind : null)
        const today = londonDate(now())
        return { today, clock: clockOf(await repo.changes(act.trx, user.partnershipId), clockKind, today) }
      })
    },

    /** Changes one clock's length from a date (once per form, however often it is sent); refused with field errors, input kept. */
    async change(user: CurrentUser, kind: string, form: ChangeForm, requestId: string): Promise<ChangeOutcome> {
      return asManager(user, requestId, 'change', { clock: kind.slice(0, 40) }, async (act) => {
        const clockKind = act.found(isClockKind(kind) ? kind : null)
        if (!form.key) throw new BadRequestError(INCOMPLETE_FORM)
        const { trx } = act
        const today = londonDate(now())
        await lockClock(trx, user.partnershipId, clockKind)
        const unit = DEFAULT_TIMESCALES[clockKind].unit
        // The same form again (Back and send, a second click): changed already, nothing more to do.
        const done = await repo.changeByFormKey(trx, user.partnershipId, form.key)
        if (done?.clockKind === clockKind)
          return { ok: true as const, kind: clockKind, length: done.length, effectiveFrom: done.effectiveFrom, unit }
        const changes = await repo.changes(trx, user.partnershipId)
        const checked = checkChange(clockKind, form.input, { today, changes })
        if (!checked.ok) return invalid(checked.errors, { today, clock: clockOf(changes, clockKind, today) })
        const { length, effectiveFrom, reason, previousLength } = checked.value
        const id = await repo.insertChange(trx, {
          partnershipId: user.partnershipId,
          clockKind,
          unit,
          length,
          effectiveFrom,
          previousLength,
          changedBy: user.id,
          reason,
          formKey: form.key,
        })
        // Sent twice at once: the second waited on the lock, so it found the first above; `id` is null only on a key reused for another clock.
        if (!id) throw new BadRequestError(INCOMPLETE_FORM)
        await act.record(
          subject('change', id, { clock: clockKind, unit, from: previousLength, to: length, effectiveFrom, withReason: !!reason }),
        )
        return { ok: true as const, kind: clockKind, length, effectiveFrom, unit }
      })
    },

    /**
     * The command line's change (`set-timescale`): the system itself, from today, through the
     * same checks as the page. Audited as the page's change is, with no person.
     */
    async setFromCommandLine(
      by: { system: true; partnershipId: string },
      kind: string,
      length: string,
    ): Promise<{ ok: true; effectiveFrom: IsoDate } | { ok: false; error: string }> {
      if (!isClockKind(kind)) return { ok: false, error: `Unknown clock: ${kind}. Clocks: ${ALL_CLOCK_KINDS.join(', ')}` }
      const today = londonDate(now())
      const [year, month, day] = today.split('-') as [string, string, string]
      return transaction(db, { partnershipId: by.partnershipId }, async (trx) => {
        await lockClock(trx, by.partnershipId, kind)
        const changes = await repo.changes(trx, by.partnershipId)
        const checked = checkChange(kind, { length, effective: { day, month, year }, reason: '' }, { today, changes })
        if (!checked.ok) return { ok: false as const, error: checked.errors.map((e) => e.text).join('; ') }
        const unit = DEFAULT_TIMESCALES[kind].unit
        const { previousLength } = checked.value
        const id = await repo.insertChange(trx, {
          partnershipId: by.partnershipId,
          clockKind: kind,
          unit,
          length: checked.value.length,
          effectiveFrom: today,
          previousLength,
          changedBy: null,
          reason: null,
          formKey: null,
        })
        await audit.allowed(
          trx,
          { id: null, partnershipId: by.partnershipId },
          subject('change', id, { clock: kind, unit, from: previousLength, to: checked.value.length, effectiveFrom: today }),
          null,
        )
        return { ok: true as const, effectiveFrom: today }
      })
    },
  }
}
export type TimescalesService = ReturnType<typeof timescalesService>
