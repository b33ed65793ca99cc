import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate } from '../../platform/clocks/london-time.js'
import type { CaseAct, CaseForAccess } from '../cases/index.js'
import { criminalProcessEntries, entrySummary, KIND_LABELS } from '../criminal-process/index.js'
import type { FeatureDeps } from '../feature-module.js'
import { invalid, type PageOutcome } from '../../platform/http/case-pages.js'
import { caseMeetingList, latestMeeting, meetingInvitations } from '../meetings/index.js'
import { chronologyRepository, type CuratedRow } from './chronology.repository.js'
import {
  agencyOptions,
  applyFilter,
  buildChronology,
  idsToName,
  validateCurated,
  type ChronologyEntry,
  type ChronologyFilter,
  type CuratedInput,
  type EventFact,
  type MeetingFact,
} from './chronology.rules.js'

export type ChronologyFormat = 'html' | 'print' | 'pdf'
export type ChronologyView = {
  kase: CaseForAccess
  entries: ChronologyEntry[]
  total: number
  /** Every agency the case's entries name, for the filter. */
  agencies: string[]
  filter: ChronologyFilter
  canAdd: boolean
  generatedAt: Date
}
export type CuratedFormOptions = { kase: CaseForAccess; curated: CuratedRow[] }

const ADD = 'ADD_CHRONOLOGY_ENTRY'

const distinct = (names: readonly string[]) => [...new Set(names)]

/**
 * The child's chronology: the case's pathway steps (case events) in plain words with their
 * outcomes, meetings held with their outcomes and who attended, the criminal process, and entries
 * practitioners add (kept as written; a correction is a new entry), in the order they happened.
 * Every read (page, print, PDF) is audited; adding is the case-wide step ADD_CHRONOLOGY_ENTRY,
 * decided by the transition table.
 */
export function chronologyService({ cases, now = () => new Date() }: Pick<FeatureDeps, 'cases' | 'now'>) {
  const repo = chronologyRepository()

  /** Refuses (audited as `chronology:add`) unless this person's role may add to a chronology. */
  const mayAdd = (act: CaseAct) =>
    act.step(ADD, { action: 'chronology:add', recordType: 'case', recordId: act.kase.id, detail: { childId: act.kase.childId } })

  /** The meetings held, with the agencies that attended or sent apologies (and the end meeting's reason for closing). */
  async function meetingsHeld(act: CaseAct): Promise<MeetingFact[]> {
    const { trx, kase } = act
    const held: MeetingFact[] = []
    for (const m of await caseMeetingList(trx, kase.id)) {
      if (!m.heldAt) continue
      const invited = await meetingInvitations(trx, m.id)
      const attended = distinct(invited.filter((i) => i.attendance === 'PRESENT').map((i) => i.agencyName))
      const apologies = distinct(invited.filter((i) => i.attendance === 'APOLOGIES').map((i) => i.agencyName)).filter(
        (a) => !attended.includes(a),
      )
      held.push({
        id: m.id,
        kind: m.kind,
        heldAt: m.heldAt,
        finalised: m.status === 'FINALISED',
        chairName: m.chairName,
        attended,
        apologies,
      })
    }
    const end = held.find((m) => m.kind === 'END_MEETING' && m.finalised)
    if (end) {
      const minutes = (await latestMeeting(trx, kase.id, 'end'))?.minutes
      if (typeof minutes?.closureReason === 'string' && minutes.closureReason.trim()) end.closureReason = minutes.closureReason
    }
    return held
  }

  /** Every entry of the case, unsorted. */
  async function entriesOf(act: CaseAct): Promise<ChronologyEntry[]> {
    const { trx, kase } = act
    const events: EventFact[] = (await act.history()).events.map((e) => ({
      id: e.id,
      action: e.action,
      actorName: e.actorName,
      agency: e.actorAgency,
      occurredAt: e.occurredAt,
      recordedAt: e.recordedAt,
      lateReason: e.lateReason,
      detail: e.detail,
    }))
    const criminalProcess = (await criminalProcessEntries(trx, kase.id)).map((c) => ({
      occurredOn: c.occurredOn,
      title: KIND_LABELS[c.kind],
      text: entrySummary(c),
      by: c.recordedByName,
      recordedAt: c.recordedAt,
    }))
    return buildChronology({
      events,
      meetings: await meetingsHeld(act),
      criminalProcess,
      curated: await repo.curated(trx, kase.id),
      names: await repo.names(trx, idsToName(events)),
    })
  }

  return {
    async view(
      user: CurrentUser,
      caseId: string,
      filter: ChronologyFilter,
      format: ChronologyFormat,
      requestId: string,
    ): Promise<ChronologyView> {
      return cases.run(user, caseId, requestId, async (act) => {
        const all = await entriesOf(act)
        const entries = applyFilter(all, filter)
        await act.record({
          action: 'chronology:read',
          recordType: 'case',
          recordId: act.kase.id,
          detail: { childId: act.kase.childId, format, entries: entries.length },
        })
        return {
          kase: act.kase,
          entries,
          total: all.length,
          agencies: agencyOptions(all),
          filter,
          canAdd: act.may(ADD),
          generatedAt: now(),
        }
      })
    },

    async addForm(user: CurrentUser, caseId: string, requestId: string): Promise<CuratedFormOptions> {
      return cases.run(user, caseId, requestId, async (act) => {
        mayAdd(act)
        return { kase: act.kase, curated: await repo.curated(act.trx, act.kase.id) }
      })
    },

    async add(user: CurrentUser, caseId: string, input: CuratedInput, requestId: string): Promise<PageOutcome<CuratedFormOptions>> {
      return cases.run(user, caseId, requestId, async (act) => {
        mayAdd(act)
        const { trx, kase } = act
        const curated = await repo.curated(trx, kase.id)
        const checked = validateCurated(input, { today: londonDate(now()), entryIds: curated.map((c) => c.id) })
        if (!checked.ok) return invalid(checked.errors, { kase, curated })
        const id = await repo.insertCurated(trx, {
          ...checked.value,
          partnershipId: user.partnershipId,
          caseId: kase.id,
          authorId: user.id,
        })
        await act.record({
          action: 'chronology:add',
          recordType: 'case',
          recordId: kase.id,
          detail: { childId: kase.childId, entryId: id, corrects: checked.value.correctsEntryId, significant: checked.value.isSignificant },
        })
        return { ok: true as const }
      })
    },
  }
}
export type ChronologyService = ReturnType<typeof chronologyService>
