import { randomUUID } from 'node:crypto'
import type { Act } from '../../platform/access/authorise.js'
import { can } from '../../platform/access/policy.js'
import type { AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { endOfLondonDay, londonDate, startOfLondonDay } from '../../platform/clocks/london-time.js'
import { formatDateTime } from '../../platform/http/format.js'
import { BadRequestError, ConflictError } from '../../platform/http/errors.js'
import { INCOMPLETE_FORM, type FieldError } from '../../platform/forms/forms.js'
import type { FeatureDeps } from '../feature-module.js'
import {
  privacyRepository,
  type AlertDetailRow,
  type AlertRow,
  type ChildStanding,
  type EntryRow,
  type Person,
} from './privacy.repository.js'
import {
  ALERTS_PER_PAGE,
  AROUND_MINUTES,
  checkRange,
  checkReview,
  ENTRIES_PER_PAGE,
  type DateRange,
  type QueueFilter,
  type RangeInput,
  type ReviewInput,
} from './privacy.rules.js'

/** The child a row is about, as this person may see them: the name only where the policy lets them see the record's history. */
export type ShownChild = { id: string; name: string } | null

export type Alert = Omit<AlertRow, keyof ChildStanding> & { child: ShownChild; aboutAChild: boolean }
export type AlertDetail = Alert & Pick<AlertDetailRow, 'personRoles' | 'reviewKey' | 'breakGlass'>
export type Entry = Omit<EntryRow, keyof ChildStanding> & { child: ShownChild; aboutAChild: boolean }

export type OverviewView = { waiting: number }
export type AlertsView = { filter: QueueFilter; alerts: Alert[]; total: number; pageSize: number; waiting: number }
export type AlertView = { alert: AlertDetail; around: Entry[]; aroundMinutes: number; formKey: string }
export type PeopleView = { people: Person[] }
export type PersonReportView = {
  person: Person
  range: DateRange
  input: RangeInput
  errors: FieldError[]
  entries: Entry[]
  total: number
  page: number
  pageSize: number
}

type ReviewOutcome = { ok: true; alert: AlertDetail } | { ok: false; view: AlertView; errors: FieldError[]; input: ReviewInput }

const SUBJECT = (action: string, recordType = 'privacy_alert', recordId: string | null = null): AuditSubject => ({
  action,
  recordType,
  recordId,
})
const DENIED = 'Only the privacy officer can see privacy alerts and access reports.'

/**
 * The privacy officer's workspace (issue 18): the alerts others' reads raised (break-glass, a
 * restricted record opened, an unusual number of records), their review, and access reports of
 * what a person has done. Role-based (`privacy:review`), through the access guard; every read that
 * names children is audited.
 */
export function privacyService({ access, now = () => new Date() }: FeatureDeps) {
  const repo = privacyRepository()

  /** The child as the policy lets this person see them (the privacy officer: any record's history, a restricted one too). */
  function shown(user: CurrentUser, row: ChildStanding): { child: ShownChild; aboutAChild: boolean } {
    if (!row.childId || row.childRelationship === null) return { child: null, aboutAChild: !!row.childId }
    const allowed = can(user, 'child:view-record-history', {
      kind: 'child',
      partnershipId: user.partnershipId,
      relationship: row.childRelationship,
      isRestricted: !!row.childIsRestricted,
      isNamedOnRestriction: !!row.childIsNamedOnRestriction,
      breakGlass: false,
    })
    return {
      child: allowed ? { id: row.childId, name: `${row.childGivenNames ?? ''} ${row.childFamilyName ?? ''}`.trim() } : null,
      aboutAChild: true,
    }
  }

  function strip<R extends ChildStanding>(user: CurrentUser, row: R) {
    const {
      childId: _id,
      childGivenNames: _g,
      childFamilyName: _f,
      childIsRestricted: _r,
      childRelationship: _rel,
      childIsNamedOnRestriction: _n,
      ...rest
    } = row
    return { ...rest, ...shown(user, row) }
  }

  /** The distinct children a page names (those shown by name), for one audit entry each. */
  const shownChildren = (rows: readonly { child: ShownChild }[]): string[] => [
    ...new Set(rows.flatMap((r) => (r.child ? [r.child.id] : []))),
  ]

  const authorise = (act: Act, subject: AuditSubject) => act.authorise('privacy:review', subject, DENIED)

  /** The alert page: the alert, and the person's other reads around when it was raised (audited as a read of the child's record's history). */
  async function alertPage(act: Act, alertId: string): Promise<AlertView> {
    const row = act.found(await repo.findAlert(act.trx, act.user, alertId))
    const alert = strip(act.user, row)
    const at = row.raisedAt.getTime()
    const around = await repo.entriesBy(act.trx, act.user, {
      userId: row.userId,
      from: new Date(at - AROUND_MINUTES * 60_000),
      to: new Date(at + AROUND_MINUTES * 60_000),
      limit: 100,
      offset: 0,
      order: 'asc',
    })
    const entries = around.rows.map((e) => strip(act.user, e))
    // The alert (on its child's record, when it has one), and each other child its reads around name.
    const others = shownChildren(entries).filter((childId) => childId !== row.childId)
    await act.recordAll([
      row.childId
        ? { action: 'privacy:read-alert', recordType: 'child', recordId: row.childId, detail: { alertId: row.id } }
        : SUBJECT('privacy:read-alert', 'privacy_alert', row.id),
      ...others.map((childId) => ({ ...SUBJECT('privacy:read-alert', 'child', childId), detail: { alertId: row.id } })),
    ])
    return { alert, around: entries, aroundMinutes: AROUND_MINUTES, formKey: randomUUID() }
  }

  return {
    /** The privacy officer's landing page: how many alerts are waiting (a count names nobody: not audited). */
    async overview(user: CurrentUser, requestId: string): Promise<OverviewView> {
      return access.run(user, requestId, async (act) => {
        authorise(act, SUBJECT('privacy:review'))
        return { waiting: await repo.countWaiting(act.trx, user.partnershipId) }
      })
    },

    /** The alert queue: waiting first (oldest first), then reviewed; filtered by kind and status. Audited: the list, and each child it names. */
    async listAlerts(user: CurrentUser, filter: QueueFilter, requestId: string): Promise<AlertsView> {
      return access.run(user, requestId, async (act) => {
        authorise(act, SUBJECT('privacy:list-alerts'))
        const { rows, total } = await repo.listAlerts(act.trx, user, {
          kind: filter.kind,
          status: filter.status,
          limit: ALERTS_PER_PAGE,
          offset: (filter.page - 1) * ALERTS_PER_PAGE,
        })
        const alerts = rows.map((r) => strip(user, r))
        const children = shownChildren(alerts)
        // The list, and each child it names (on the child's record, so their access history shows who saw them).
        await act.recordAll([
          {
            ...SUBJECT('privacy:list-alerts'),
            detail: { children: children.length, page: filter.page, status: filter.status, kind: filter.kind },
          },
          ...children.map((childId) => SUBJECT('privacy:list-alerts', 'child', childId)),
        ])
        const waiting = await repo.countWaiting(act.trx, user.partnershipId)
        return { filter, alerts, total, pageSize: ALERTS_PER_PAGE, waiting }
      })
    },

    async alert(user: CurrentUser, alertId: string, requestId: string): Promise<AlertView> {
      return access.run(user, requestId, async (act) => {
        authorise(act, SUBJECT('privacy:read-alert', 'privacy_alert', alertId))
        return alertPage(act, alertId)
      })
    },

    /**
     * Reviews an alert once: the outcome, and a note for follow-up or a breach. The same form sent
     * again finds its own review; a second review (another form, another person) is refused (409).
     */
    async review(user: CurrentUser, alertId: string, input: ReviewInput, requestId: string): Promise<ReviewOutcome> {
      return access.run(user, requestId, async (act) => {
        const subject = SUBJECT('privacy:review-alert', 'privacy_alert', alertId)
        authorise(act, subject)
        const row = act.found(await repo.findAlert(act.trx, user, alertId))
        if (row.reviewedAt) {
          if (input.key && row.reviewKey === input.key) return { ok: true as const, alert: { ...strip(user, row) } }
          // Refused, with its DENIED entry: the attempt to change a review is on the record.
          act.refuse(
            new ConflictError(
              `This alert was already reviewed${row.reviewerName ? ` by ${row.reviewerName}` : ''} on ${formatDateTime(row.reviewedAt)}. A review cannot be changed.`,
            ),
            subject,
          )
        }
        if (!input.key) throw new BadRequestError(INCOMPLETE_FORM)
        const checked = checkReview(input)
        if (!checked.ok) return { ok: false as const, view: await alertPage(act, alertId), errors: checked.errors, input }
        const done = await repo.review(act.trx, alertId, {
          reviewedBy: user.id,
          outcome: checked.value.outcome,
          note: checked.value.note,
          key: input.key,
          at: now(),
        })
        if (!done) throw new ConflictError('This alert was reviewed by someone else a moment ago. A review cannot be changed.')
        await act.record({ ...subject, detail: { childId: row.childId, outcome: checked.value.outcome } })
        return { ok: true as const, alert: strip(user, row) }
      })
    },

    /** The people of the partnership, for choosing whose access to report (names only: not audited). */
    async people(user: CurrentUser, requestId: string): Promise<PeopleView> {
      return access.run(user, requestId, async (act) => {
        authorise(act, SUBJECT('privacy:access-report-person', 'user'))
        return { people: await repo.people(act.trx, user.partnershipId) }
      })
    },

    /** Every audit entry by one person between two UK dates (the last 30 days by default), a page at a time; audited: the report, and each child it names. */
    async personReport(user: CurrentUser, userId: string, input: RangeInput, page: number, requestId: string): Promise<PersonReportView> {
      return access.run(user, requestId, async (act) => {
        const subject = SUBJECT('privacy:access-report-person', 'user', userId)
        authorise(act, subject)
        const person = act.found(await repo.person(act.trx, user.partnershipId, userId))
        const today = londonDate(now())
        const checked = checkRange(input, today)
        const base = { person, input, page, pageSize: ENTRIES_PER_PAGE }
        if (!checked.ok) return { ...base, range: { from: today, to: today }, errors: checked.errors, entries: [], total: 0 }
        const range = checked.value
        const { rows, total } = await repo.entriesBy(act.trx, user, {
          userId,
          from: startOfLondonDay(range.from),
          to: endOfLondonDay(range.to),
          limit: ENTRIES_PER_PAGE,
          offset: (page - 1) * ENTRIES_PER_PAGE,
        })
        const entries = rows.map((r) => strip(user, r))
        const children = shownChildren(entries)
        // The report, and each child it names (on the child's record, with whose report named them).
        await act.recordAll([
          { ...subject, detail: { from: range.from, to: range.to, page, children: children.length } },
          ...children.map((childId) => ({ ...SUBJECT('privacy:access-report-person', 'child', childId), detail: { personId: userId } })),
        ])
        return { ...base, range, errors: [], entries, total }
      })
    },
  }
}
export type PrivacyService = ReturnType<typeof privacyService>
