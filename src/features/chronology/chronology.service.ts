import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate, startOfLondonDay } from '../../platform/clocks/london-time.js'
import { formatDate } from '../../platform/http/format.js'
import { STATUS_LABELS, type CaseAct, type CaseForAccess, type CaseStatus } from '../cases/index.js'
import { criminalProcessEntries, entrySummary, KIND_LABELS } from '../criminal-process/index.js'
import type { FeatureDeps } from '../feature-module.js'
import { invalid, type PageOutcome } from '../../platform/http/case-pages.js'
import { caseMeetingList } from '../meetings/index.js'
import { chronologyRepository, type CuratedRow } from './chronology.repository.js'
import {
  applyFilter,
  chronologyLabel,
  MEETING_LABELS,
  validateCurated,
  type ChronologyEntry,
  type ChronologyFilter,
  type CuratedInput,
} from './chronology.rules.js'

export type ChronologyFormat = 'html' | 'print' | 'pdf'
export type ChronologyView = {
  kase: CaseForAccess
  entries: ChronologyEntry[]
  total: number
  filter: ChronologyFilter
  canAdd: boolean
  generatedAt: Date
}
export type CuratedFormOptions = { kase: CaseForAccess; curated: CuratedRow[] }

const ADD = 'ADD_CHRONOLOGY_ENTRY'

/**
 * The case's whole history in one timeline: its pathway steps (case events), meetings held,
 * the criminal process, and entries practitioners add (kept as written; a correction is a new
 * entry). Every read (page, print, PDF) is audited; adding is the case-wide step
 * ADD_CHRONOLOGY_ENTRY, decided by the transition table.
 */
export function chronologyService({ cases, now = () => new Date() }: Pick<FeatureDeps, 'cases' | 'now'>) {
  const repo = chronologyRepository()

  /** Refuses (audited as `chronology:add`) unless this person's role may add to a chronology. */
  const mayAdd = (act: CaseAct) =>
    act.step(ADD, { action: 'chronology:add', recordType: 'case', recordId: act.kase.id, detail: { childId: act.kase.childId } })

  /** Every entry of the case, unsorted. */
  async function entriesOf(act: CaseAct): Promise<ChronologyEntry[]> {
    const { trx, kase } = act
    const events = (await act.history()).events.reverse()
    const entries: ChronologyEntry[] = []
    events.forEach((e, i) => {
      // Criminal process entries appear once, on the date they happened (below).
      if (e.action === 'RECORD_CRIMINAL_PROCESS') return
      const moved = e.fromStatus !== e.toStatus
      entries.push({
        type: 'EVENT',
        at: e.occurredAt,
        dateOnly: false,
        title: chronologyLabel(e.action),
        text: moved ? `Status: ${STATUS_LABELS[e.toStatus as CaseStatus] ?? e.toStatus}` : '',
        by: e.actorName,
        seq: i,
      })
    })
    // Meetings held (any kind), oldest first; the meetings feature keeps them.
    const held = (await caseMeetingList(trx, kase.id)).flatMap((m) => (m.heldAt ? [{ ...m, heldAt: m.heldAt }] : []))
    held.sort((a, b) => a.heldAt.getTime() - b.heldAt.getTime() || (a.id < b.id ? -1 : 1))
    held.forEach((m, i) => {
      entries.push({
        type: 'MEETING',
        at: m.heldAt,
        dateOnly: false,
        title: MEETING_LABELS[m.kind] ?? 'Meeting held',
        text: `Chaired by ${m.chairName}`,
        by: m.chairName,
        seq: i,
      })
    })
    ;(await criminalProcessEntries(trx, kase.id)).forEach((c, i) => {
      entries.push({
        type: 'CRIMINAL_PROCESS',
        at: startOfLondonDay(c.occurredOn),
        dateOnly: true,
        title: KIND_LABELS[c.kind],
        text: entrySummary(c),
        by: c.recordedByName,
        seq: i,
      })
    })
    const curated = await repo.curated(trx, kase.id)
    curated.forEach((c, i) => {
      const corrected = c.correctsEntryId ? curated.find((x) => x.id === c.correctsEntryId) : undefined
      const prefix = corrected ? `Correction to “${corrected.title}” (${formatDate(corrected.occurredOn)}). ` : ''
      entries.push({
        type: 'CURATED',
        at: startOfLondonDay(c.occurredOn),
        dateOnly: true,
        title: c.title,
        text: `${prefix}${c.text}`,
        by: c.authorName,
        seq: i,
      })
    })
    return entries
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
        return { kase: act.kase, entries, total: all.length, filter, canAdd: act.may(ADD), generatedAt: now() }
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
          detail: { childId: kase.childId, entryId: id, corrects: checked.value.correctsEntryId },
        })
        return { ok: true as const }
      })
    },
  }
}
export type ChronologyService = ReturnType<typeof chronologyService>
