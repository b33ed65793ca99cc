import { dayOccurredAt } from '../../platform/forms/when.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { Trx } from '../../platform/db/transaction.js'
import type { CaseForAccess } from '../cases/index.js'
import type { FeatureDeps } from '../feature-module.js'
import { invalid, type PageFailure } from '../../platform/http/case-pages.js'
import {
  bailHoldsUpIntervention,
  criminalProcessRepository,
  type BailHold,
  type CriminalProcessRow,
} from './criminal-process.repository.js'
import { bailHoldingUp, entryFacts, validateEntry, type EntryInput } from './criminal-process.rules.js'

export type CriminalProcessPage = {
  kase: CaseForAccess
  entries: CriminalProcessRow[]
  /** Current bail whose conditions prevent or delay intervention work. */
  holds: CriminalProcessRow[]
  canRecord: boolean
}

/** What the form to record an entry shows: the case. */
export type EntryFormPage = { kase: CaseForAccess }
export type RecordResult = { ok: true; entryId: string } | PageFailure<EntryFormPage>

const ACTION = 'RECORD_CRIMINAL_PROCESS'

/**
 * The criminal process alongside the pathway. Reading it is audited; recording is the case step
 * RECORD_CRIMINAL_PROCESS through the case kernel, so it is checked against the transition table,
 * audited and in the case's history.
 */
export function criminalProcessService({ cases, now = () => new Date() }: Pick<FeatureDeps, 'cases' | 'now'>) {
  const repo = criminalProcessRepository()

  return {
    async view(user: CurrentUser, caseId: string, requestId: string): Promise<CriminalProcessPage> {
      return cases.run(user, caseId, requestId, async (act) => {
        const entries = await repo.listForCase(act.trx, act.kase.id)
        await act.record({
          action: 'criminal-process:read',
          recordType: 'case',
          recordId: act.kase.id,
          detail: { childId: act.kase.childId, entries: entries.length },
        })
        return { kase: act.kase, entries, holds: bailHoldingUp(entries, londonDate(now())), canRecord: act.may(ACTION) }
      })
    },

    async form(user: CurrentUser, caseId: string, requestId: string): Promise<EntryFormPage> {
      return cases.run(user, caseId, requestId, async (act) => {
        act.step(ACTION)
        return { kase: act.kase }
      })
    },

    async record(user: CurrentUser, caseId: string, input: EntryInput, requestId: string): Promise<RecordResult> {
      return cases.run(user, caseId, requestId, async (act): Promise<RecordResult> => {
        act.step(ACTION)
        const existing = await repo.listForCase(act.trx, act.kase.id)
        const checked = validateEntry(input, entryFacts(existing, londonDate(now())))
        if (!checked.ok) return invalid(checked.errors, { kase: act.kase })
        const entryId = await repo.insert(act.trx, {
          ...checked.value,
          partnershipId: user.partnershipId,
          caseId: act.kase.id,
          recordedBy: user.id,
        })
        // The history has it on the day it happened.
        await act.apply(
          ACTION,
          { occurredAt: dayOccurredAt(checked.value.occurredOn, now()) },
          { entryId, kind: checked.value.kind, holdsUpIntervention: checked.value.holdsUpIntervention },
        )
        return { ok: true, entryId }
      })
    },

    /** For other features, inside their own transaction: current bail holding up intervention work, or null. */
    bailHoldsUpIntervention(trx: Trx, caseId: string, at: Date = now()): Promise<BailHold[] | null> {
      return bailHoldsUpIntervention(trx, caseId, at)
    },
  }
}
export type CriminalProcessService = ReturnType<typeof criminalProcessService>
