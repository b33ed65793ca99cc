import { randomUUID } from 'node:crypto'
import { accessGuard, actFor, type Act, type AccessDeps } from '../../platform/access/authorise.js'
import { BREAK_GLASS_READ_ONLY, offerBreakGlass, offersBreakGlass } from '../../platform/access/break-glass.js'
import { can, readsOnlyThroughBreakGlass } from '../../platform/access/policy.js'
import { privacyAlerts as defaultPrivacyAlerts, type PrivacyAlerts } from '../../platform/access/privacy-alerts.js'
import type { AuditSubject } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { ENGLAND_AND_WALES_BANK_HOLIDAYS, type BankHolidays } from '../../platform/clocks/bank-holidays.js'
import { CLOCK_STOP_REASONS, dueAt, type ClockKind } from '../../platform/clocks/clocks.rules.js'
import type { Trx } from '../../platform/db/transaction.js'
import type { FormResult } from '../../platform/forms/forms.js'
import { checkWhen, NOW, type When, type WhenInput } from '../../platform/forms/when.js'
import { ConflictError, ForbiddenError, type HttpError } from '../../platform/http/errors.js'
import type { CaseClockRow, CaseEventRow, CaseForAccess } from './case.js'
import { casesRepository } from './cases.repository.js'
import { timescalesAt } from './timescales.rules.js'
import {
  decide,
  followsLabel,
  hasRoleFor,
  isOpen,
  notNow,
  refusalFor,
  type CaseAction,
  type CaseRoute,
  type CaseStatus,
  type CaseStep,
  type NotNow,
  type TransitionContext,
} from './pathway.rules.js'

/** Entries in a case's history that are not moves along the pathway. */
export const HISTORY_NOTES = {
  STRATEGY_MEETING_MINUTES_SAVED: 'STRATEGY_MEETING_MINUTES_SAVED',
  STRATEGY_MEETING_ADDENDUM: 'STRATEGY_MEETING_ADDENDUM',
} as const
export type HistoryNote = keyof typeof HISTORY_NOTES

/** What a step changes on the case besides its status and clocks. */
export type CaseChanges = {
  allocatedTeamId?: string | null
  allocatedUserId?: string | null
  /**
   * When the step happened, if not now (a meeting is held before its minutes are finalised; a
   * step entered afterwards): the history's time, and when its clocks stop and start.
   */
  occurredAt?: Date
  /** Why it is entered long after it happened. */
  lateReason?: string | null
  /** When it happened as the person said on the form (`act.when`): sets `occurredAt` and `lateReason`. */
  when?: When
  /** A running clock falls due later (court directions extend the AIM assessment's limit). */
  extendClock?: { kind: ClockKind; dueAt: Date }
}

/** Who becomes involved with the child (and so may read the case, as the access policy says). */
export type Involvement = { agencyId: string; teamId?: string | null; userId?: string | null }

/** One command or read on one case by one person: an `Act` with the case, loaded with access checked and audited. */
export type CaseAct = Act & {
  /** The case as loaded, and as each `apply` leaves it. */
  readonly kase: CaseForAccess
  /**
   * Refuses unless this person may take this step on the case now: the role first (403, whatever
   * the status), then the pathway (409 naming the status and what can be done), both in the
   * transition table's words. Audited as `case:<STEP>` unless `subject` says otherwise.
   */
  step(step: CaseStep, subject?: Partial<AuditSubject>): void
  /**
   * When the step being taken happened, as the person said on the form (`whenOf(body)`; blank is now): refused
   * with field errors if in the future, before the case's last step (named, with its time) or
   * long past without a reason. Pass the value to `apply` as `when`.
   */
  when(input: WhenInput | undefined): Promise<FormResult<When>>
  /** The person reads this case only through break-glass (issue 18): no step, note or other change. */
  readonly readOnly: boolean
  /**
   * Before a change that is not a step (a request, a decision): refuses (403, audited as
   * `subject`) someone who reads the case only through break-glass.
   */
  writes(subject: AuditSubject): void
  /** Whether this person may take this step now (for the links and buttons a page shows). */
  may(step: CaseStep): boolean
  /** Why the step cannot be taken now, for a page that says so rather than refusing; null if it can. */
  notNow(step: CaseStep): NotNow | null
  /**
   * For a step's own page: refuses (403, audited) a role that may never take the step, and
   * otherwise says why the pathway does not allow it now (null if it does), so the page can say
   * what to do instead of refusing.
   */
  stepPage(step: CaseStep): NotNow | null
  /**
   * The one way a case moves: checks the step, moves the status only if nobody else has since the
   * case was loaded (409), appends the case event, stops and starts clocks and writes the audit
   * entry, all in this transaction.
   */
  apply(action: CaseAction, changes?: TransitionContext & CaseChanges, detail?: Record<string, unknown>): Promise<CaseForAccess>
  /** An entry in the case's history that does not move it (minutes saved, an addendum). */
  note(name: HistoryNote, detail?: Record<string, unknown>): Promise<void>
  /** Someone becomes involved with the child, unless they already are. */
  involve(who: Involvement): Promise<void>
  /** An involvement of its own for a time-bound role (a co-assessor for the assessment), to be ended with `endInvolvements`. */
  startInvolvement(who: Involvement & { userId: string }): Promise<string>
  endInvolvements(ids: readonly string[], at: Date): Promise<void>
  /** The child's allocation (after `apply('ALLOCATE')`): the previous one ends, kept with its end. */
  allocate(to: { agencyId: string; teamId: string; userId: string | null }): Promise<void>
  /** The case's history (newest first) and its clocks, in one statement. */
  history(): Promise<{ events: CaseEventRow[]; clocks: CaseClockRow[] }>
  /** Why a clock was missed, kept on the clock (after `apply('RECORD_CLOCK_REASON')`); false if the case has no such clock. */
  recordClockReason(kind: ClockKind, reason: string): Promise<boolean>
}

/**
 * A step of a case's history brought in from the council's case management system (the SSD
 * import), with when it really happened. `sourceKey` names the source row, so importing the same
 * extract again adds nothing; `toStatus` moves the case (the episode's closure).
 */
export type ImportedEvent = { action: string; occurredAt: Date; sourceKey: string; toStatus?: CaseStatus; detail?: Record<string, unknown> }
/** An episode brought in: a new case for the child (`caseId` absent), or new steps of a case an earlier import made. */
export type ImportedEpisode = {
  caseId?: string
  childId: string
  referralReceivedAt: Date
  /** The status the case is in once its steps are applied. */
  status: CaseStatus
  closedAt: Date | null
  events: readonly ImportedEvent[]
}
/** Why imported steps were entered long after they happened, shown in the history. */
export const IMPORTED_LATE_REASON = 'brought in from the council’s case management system (SSD import)'

/** How a command may open a case besides reading the child (a meeting's invitee reads that meeting only). */
export type CaseOpening = {
  /** Whether this person may open the case for this command; `readsChild` is the access policy's answer. */
  allowed?: (kase: CaseForAccess, readsChild: boolean, trx: Trx) => boolean | Promise<boolean>
  /** The read's audit entry (default `case:read` on the case). */
  read?: (kase: CaseForAccess) => AuditSubject
  denied?: string
}

/** `lateEntryDays`: a step entered more than this many days after it happened needs a reason (LATE_ENTRY_REASON_AFTER_DAYS). */
type Deps = AccessDeps & { holidays?: BankHolidays; now?: () => Date; lateEntryDays?: number; privacyAlerts?: PrivacyAlerts }

const DENIED = 'You do not have access to this child’s record.'
const STALE = 'Someone else changed this case while you were working on it. Check the case and try again.'

/**
 * The case kernel: the one way to read a case for a page and to run a command on it. `run` loads
 * the case with the person's relationship to the child, checks access and audits the read; inside,
 * the `CaseAct` checks steps against the transition table, applies transitions, keeps the history
 * and the clocks. Every case step of every feature goes through here.
 */
export function caseKernel(deps: Deps) {
  const { audit, holidays = ENGLAND_AND_WALES_BANK_HOLIDAYS, now = () => new Date(), lateEntryDays = 7 } = deps
  const repo = casesRepository()
  const guard = accessGuard(deps)
  const alerts = deps.privacyAlerts ?? defaultPrivacyAlerts()

  async function startClocks(trx: Trx, partnershipId: string, caseId: string, kinds: readonly ClockKind[], startedAt: Date) {
    if (kinds.length === 0) return
    // The lengths in effect on the day each clock starts (local timescales), read now: a change needs no restart.
    const timescales = timescalesAt(await repo.localTimescales(trx, partnershipId), startedAt)
    for (const kind of kinds)
      await repo.startClock(trx, { partnershipId, caseId, kind, startedAt, dueAt: dueAt(kind, startedAt, timescales, holidays) })
  }

  function caseAct(act: Act, loaded: CaseForAccess): CaseAct {
    let kase = loaded
    const { trx, user } = act
    // Read only through break-glass: no step, no note, whatever the role (issue 18).
    const readOnly = readsOnlyThroughBreakGlass(user, { kind: 'child', ...loaded })
    const stepSubject = (step: string, reason: string, subject: Partial<AuditSubject> = {}): AuditSubject => ({
      action: `case:${step}`,
      recordType: 'case',
      recordId: kase.id,
      ...subject,
      detail: { ...subject.detail, reason },
    })
    function check(step: CaseStep, ctx: TransitionContext, subject?: Partial<AuditSubject>): void {
      if (readOnly) act.refuse(new ForbiddenError(BREAK_GLASS_READ_ONLY), stepSubject(step, 'break-glass', subject))
      const refusal = refusalFor(kase.status, step, user.roles, { route: kase.route, ...ctx })
      if (!refusal) return
      const error: HttpError =
        refusal.status === 403 ? new ForbiddenError(refusal.message) : new ConflictError(refusal.message, refusal.details)
      act.refuse(error, stepSubject(step, refusal.reason, subject))
    }
    const caseAct: CaseAct = {
      ...act,
      get kase() {
        return kase
      },
      step: (step, subject) => check(step, {}, subject),
      readOnly,
      writes(subject) {
        if (readOnly)
          act.refuse(new ForbiddenError(BREAK_GLASS_READ_ONLY), { ...subject, detail: { ...subject.detail, reason: 'break-glass' } })
      },
      async when(input) {
        const last = await repo.lastStep(trx, kase.id)
        const follows = last ? { label: followsLabel(last.action), at: last.occurredAt } : null
        return checkWhen(input ?? NOW, { now: now(), follows, lateAfterDays: lateEntryDays })
      },
      may: (step) => !readOnly && refusalFor(kase.status, step, user.roles, { route: kase.route }) === null,
      notNow: (step) => notNow(kase.status, step, user.roles, { route: kase.route }),
      stepPage(step) {
        if (readOnly || !hasRoleFor(user.roles, step)) check(step, {})
        return notNow(kase.status, step, user.roles, { route: kase.route })
      },

      async apply(action, changes = {}, detail = {}) {
        const { rating, allocatedTeamId, allocatedUserId, occurredAt: given, lateReason: givenReason, when, extendClock, ...ctx } = changes
        check(action, { rating, ...ctx })
        const decision = decide(kase.status, action, user.roles, { route: kase.route, rating, ...ctx })
        if (!decision.ok) throw new Error('The kernel allowed a step the pathway refused')
        const at = now()
        const occurredAt = when?.occurredAt ?? given ?? at
        const lateReason = when ? when.lateReason : (givenReason ?? null)
        if (occurredAt.getTime() > at.getTime() + 60_000) throw new Error('A step cannot be recorded as happening in the future')
        const closes = !isOpen(decision.to)
        const moved = await repo.updateCase(trx, kase.id, kase.version, {
          status: decision.to,
          ...(rating !== undefined ? { rating } : {}),
          ...(allocatedTeamId !== undefined ? { allocatedTeamId } : {}),
          ...(allocatedUserId !== undefined ? { allocatedUserId } : {}),
          ...(closes ? { closedAt: occurredAt } : {}),
        })
        if (!moved) throw new ConflictError(STALE)
        await repo.insertEvent(trx, {
          partnershipId: user.partnershipId,
          caseId: kase.id,
          action,
          fromStatus: kase.status,
          toStatus: decision.to,
          actorId: user.id,
          occurredAt,
          lateReason,
          detail,
        })
        const clocksFrom = occurredAt
        await repo.stopClocks(trx, kase.id, decision.stops, clocksFrom)
        // A closed case has no clock running: what its steps did not meet stops, "case closed".
        if (closes) await repo.stopRunningClocks(trx, kase.id, occurredAt, CLOCK_STOP_REASONS.CASE_CLOSED)
        await startClocks(
          trx,
          user.partnershipId,
          kase.id,
          decision.starts.filter((k) => k !== 'ASSESSMENT'),
          clocksFrom,
        )
        // The child and family assessment runs from the referral, not from the screening.
        if (decision.starts.includes('ASSESSMENT'))
          await startClocks(trx, user.partnershipId, kase.id, ['ASSESSMENT'], kase.referralReceivedAt)
        if (extendClock && !(await repo.extendClock(trx, kase.id, extendClock.kind, extendClock.dueAt))) throw new ConflictError(STALE)
        // A step said to have happened earlier is audited with when, and why it is entered late.
        const backDated = occurredAt.getTime() !== at.getTime()
        await act.record({
          action: `case:${action}`,
          recordType: 'case',
          recordId: kase.id,
          detail: {
            to: decision.to,
            ...(backDated ? { occurredAt: occurredAt.toISOString() } : {}),
            ...(lateReason ? { lateReason } : {}),
          },
        })
        kase = {
          ...kase,
          status: decision.to,
          version: kase.version + 1,
          ...(rating !== undefined ? { rating } : {}),
          ...(allocatedTeamId !== undefined ? { allocatedTeamId } : {}),
          ...(allocatedUserId !== undefined ? { allocatedUserId } : {}),
        }
        return kase
      },

      async note(name, detail = {}) {
        if (readOnly) act.refuse(new ForbiddenError(BREAK_GLASS_READ_ONLY), stepSubject(name, 'break-glass'))
        await repo.insertEvent(trx, {
          partnershipId: user.partnershipId,
          caseId: kase.id,
          action: name,
          fromStatus: kase.status,
          toStatus: kase.status,
          actorId: user.id,
          detail,
        })
      },

      involve: (who) => repo.addInvolvement(trx, { partnershipId: user.partnershipId, childId: kase.childId, ...who }),
      startInvolvement: (who) =>
        repo.insertInvolvement(trx, {
          partnershipId: user.partnershipId,
          childId: kase.childId,
          agencyId: who.agencyId,
          teamId: who.teamId ?? null,
          userId: who.userId,
        }),
      endInvolvements: (ids, at) => repo.endInvolvements(trx, ids, at),
      allocate: (to) => repo.allocate(trx, { partnershipId: user.partnershipId, childId: kase.childId, ...to }),
      history: () => repo.listHistoryAndClocks(trx, kase.id),
      recordClockReason: (kind, reason) => repo.recordClockReason(trx, kase.id, kind, reason, user.id),
    }
    return caseAct
  }

  async function importEpisodes(
    trx: Trx,
    actor: { id: string | null; partnershipId: string },
    episodes: readonly ImportedEpisode[],
  ): Promise<string[]> {
    const ids = episodes.map((e) => e.caseId ?? randomUUID())
    const fresh = episodes.flatMap((e, i) => (e.caseId ? [] : [{ e, id: ids[i]! }]))
    if (fresh.length)
      await repo.insertCases(
        trx,
        fresh.map(({ e, id }) => ({
          id,
          partnershipId: actor.partnershipId,
          childId: e.childId,
          route: 'NEW' as const,
          status: e.status,
          referralReceivedAt: e.referralReceivedAt,
          closedAt: e.closedAt,
        })),
      )
    const existing = episodes.flatMap((e) => (e.caseId ? [e.caseId] : []))
    const had = await repo.importedSourceKeys(trx, existing)
    const statuses = await repo.statusesOf(trx, existing)
    // A case someone here has moved on since it was imported keeps its status: the council's later
    // steps join its history without moving it.
    const workedHere = await repo.movedHere(trx, existing)
    const events: Parameters<typeof repo.insertEvents>[1][number][] = []
    episodes.forEach((e, i) => {
      const caseId = ids[i]!
      let status: CaseStatus | null = e.caseId ? (statuses.get(caseId) ?? null) : null
      const steps = [...e.events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime())
      const keep = workedHere.has(caseId)
      for (const step of steps) {
        const to = keep ? status! : (step.toStatus ?? (status === null ? 'REFERRED' : status))
        if (!had.has(`${caseId}|${step.sourceKey}`))
          events.push({
            partnershipId: actor.partnershipId,
            caseId,
            action: step.action,
            fromStatus: status,
            toStatus: to,
            actorId: actor.id,
            occurredAt: step.occurredAt,
            lateReason: IMPORTED_LATE_REASON,
            detail: { ...step.detail, imported: true, sourceKey: step.sourceKey },
          })
        status = to
      }
    })
    await repo.insertEvents(trx, events)
    const moved = episodes.flatMap((e, i) =>
      e.caseId && !workedHere.has(ids[i]!) ? [{ id: ids[i]!, status: e.status, closedAt: e.closedAt }] : [],
    )
    await repo.setImportedStatuses(trx, moved)
    return ids
  }

  const kernel = {
    /**
     * Runs one read or command on a case for a person, in one transaction: the case is loaded with
     * their relationship to the child, access is decided and the read audited (allowed with the
     * read; refused on its own, after the rollback), then `fn` runs with the `CaseAct`.
     */
    async run<T>(
      user: CurrentUser,
      caseId: string,
      requestId: string,
      fn: (act: CaseAct) => Promise<T>,
      opening: CaseOpening = {},
    ): Promise<T> {
      // A person refused a record they could open in an emergency is offered break-glass (issue 18).
      let refusedChildId: string | null = null
      return offerBreakGlass(
        () => refusedChildId,
        guard.open(
          user,
          requestId,
          {
            find: (trx) => repo.findForAccess(trx, caseId, user),
            allowed: async (kase, trx) => {
              const readsChild = can(user, 'child:read', { kind: 'child', ...kase })
              const allowed = opening.allowed ? await opening.allowed(kase, readsChild, trx) : readsChild
              // Restricted or not: offering it only on others would say which records are restricted.
              if (!allowed && offersBreakGlass(user, { kind: 'child', ...kase })) refusedChildId = kase.childId
              return allowed
            },
            subject:
              opening.read ??
              ((kase) => ({
                action: 'case:read',
                recordType: 'case',
                recordId: kase.id,
                detail: { childId: kase.childId, relationship: kase.relationship },
              })),
            denied: opening.denied ?? DENIED,
          },
          async (act, kase) => {
            // The one place a case's read raises its privacy alerts (break-glass, restricted, volume).
            await alerts.onRead(act.trx, user, requestId, {
              childId: kase.childId,
              isRestricted: kase.isRestricted,
              viaBreakGlass: readsOnlyThroughBreakGlass(user, { kind: 'child', ...kase }),
            })
            return fn(caseAct(act, kase))
          },
        ),
      )
    },

    /**
     * Opens a case at the front door (status REFERRED) for a person already acting on the child
     * (raising a request for support), starts the referral decision clock, and involves the people
     * and teams named: `involved` for as long as they work with the child (the referrer),
     * `untilEnded` each with an involvement of its own, whose ids are returned for the caller to
     * end with `endInvolvements` (who screens, until the case is allocated).
     */
    async open(
      act: Act,
      c: {
        childId: string
        route: CaseRoute
        referralReceivedAt: Date
        involved?: readonly Involvement[]
        untilEnded?: readonly Involvement[]
      },
    ): Promise<{ caseId: string; involvementIds: string[] }> {
      const { trx, user } = act
      const caseId = await repo.insertCase(trx, {
        partnershipId: user.partnershipId,
        childId: c.childId,
        route: c.route,
        status: 'REFERRED',
        referralReceivedAt: c.referralReceivedAt,
      })
      await repo.insertEvent(trx, {
        partnershipId: user.partnershipId,
        caseId,
        action: 'OPEN',
        fromStatus: null,
        toStatus: 'REFERRED',
        actorId: user.id,
        occurredAt: c.referralReceivedAt,
        detail: { route: c.route },
      })
      await startClocks(trx, user.partnershipId, caseId, ['REFERRAL_DECISION'], c.referralReceivedAt)
      await act.record({ action: 'case:OPEN', recordType: 'case', recordId: caseId, detail: { childId: c.childId } })
      for (const who of c.involved ?? []) await repo.addInvolvement(trx, { partnershipId: user.partnershipId, childId: c.childId, ...who })
      const involvementIds: string[] = []
      for (const who of c.untilEnded ?? [])
        involvementIds.push(
          await repo.insertInvolvement(trx, {
            partnershipId: user.partnershipId,
            childId: c.childId,
            agencyId: who.agencyId,
            teamId: who.teamId ?? null,
            userId: who.userId ?? null,
          }),
        )
      return { caseId, involvementIds }
    },

    /**
     * The history an import brings in (features/ssd-import), in a transaction the importer holds:
     * new cases opened when their referrals were received, and their steps at when they happened,
     * recorded now, entered late for the reason `IMPORTED_LATE_REASON`; for a case an earlier import
     * made, only the steps it does not have yet (by `sourceKey`). No clock is started: an imported
     * past is not work anyone here must do by a time. Written in a few statements per batch, not
     * one per row. The importer audits what it brought in. Returns each episode's case id, in order.
     */
    async importHistory(
      trx: Trx,
      actor: { id: string | null; partnershipId: string },
      episodes: readonly ImportedEpisode[],
    ): Promise<string[]> {
      return importEpisodes(trx, actor, episodes)
    },

    /** For the demo seed and tests only: the case with this person's relationship to the child, unaudited, inside a transaction they opened. */
    async load(trx: Trx, user: CurrentUser, caseId: string): Promise<CaseForAccess | undefined> {
      return repo.findForAccess(trx, caseId, user)
    },

    /**
     * For the demo seed and tests only: a CaseAct on a case the caller loaded, inside a transaction
     * they opened (a refusal is thrown as a Refusal, and rolls back their transaction).
     */
    actOn(trx: Trx, user: CurrentUser, kase: CaseForAccess, requestId: string): CaseAct {
      return caseAct(actFor(audit, trx, user, requestId), kase)
    },

    /** For the demo seed and tests only: `open` inside a transaction the caller opened. */
    async openIn(
      trx: Trx,
      user: CurrentUser,
      c: { childId: string; route: CaseRoute; referralReceivedAt: Date },
      requestId: string,
    ): Promise<string> {
      return (await kernel.open(actFor(audit, trx, user, requestId), c)).caseId
    },
  }
  return kernel
}
export type CaseKernel = ReturnType<typeof caseKernel>
