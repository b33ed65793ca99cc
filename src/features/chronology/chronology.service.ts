import type { AuditRepository } from '../../platform/audit/audit.repository.js'
import type { CurrentUser } from '../../platform/auth/current-user.js'
import { londonDate, startOfLondonDay } from '../../platform/clocks/london-time.js'
import type { Trx } from '../../platform/db/transaction.js'
import { ForbiddenError, type HttpError } from '../../platform/http/errors.js'
import type { FieldError } from '../../platform/forms/forms.js'
import type { CaseWorkflow } from '../cases/case-workflow.js'
import type { CaseForAccess, CasesRepository } from '../cases/cases.repository.js'
import { STATUS_LABELS, type CaseStatus } from '../cases/pathway.rules.js'
import { entrySummary } from '../criminal-process/criminal-process.presenter.js'
import { criminalProcessRepository } from '../criminal-process/criminal-process.repository.js'
import { KIND_LABELS } from '../criminal-process/criminal-process.rules.js'
import { chronologyRepository, type CuratedRow } from './chronology.repository.js'
import { applyFilter, chronologyLabel, MEETING_LABELS, validateCurated, type ChronologyEntry, type ChronologyFilter, type CuratedInput } from './chronology.rules.js'

type Deps = { workflow: CaseWorkflow; audit: AuditRepository; casesRepo: CasesRepository; now?: () => Date }

class Refusal {
  constructor(readonly error: HttpError) {}
}

/** Who may add an entry to a case's chronology (besides being able to read the case). */
export const CURATOR_ROLES: readonly string[] = ['SOCIAL_WORKER', 'TEAM_MANAGER', 'HSB_LEAD', 'AIM_PRACTITIONER', 'POLICE_OFFICER', 'YOS_OFFICER', 'HEAD_OF_SERVICE']

export type ChronologyFormat = 'html' | 'print' | 'pdf'
export type ChronologyView = { kase: CaseForAccess; entries: ChronologyEntry[]; total: number; filter: ChronologyFilter; canAdd: boolean; generatedAt: Date }
export type CuratedFormOptions = { kase: CaseForAccess; curated: CuratedRow[] }

const dateOf = (iso: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`))

/**
 * The case's whole history in one timeline: its pathway steps (case events), meetings held,
 * the criminal process, and entries practitioners add (kept as written; a correction is a new
 * entry). Every read (page, print, PDF) is audited.
 */
export function chronologyService({ workflow, audit, casesRepo, now = () => new Date() }: Deps) {
  const repo = chronologyRepository()
  const criminal = criminalProcessRepository()

  async function run<T>(user: CurrentUser, caseId: string, requestId: string, fn: (trx: Trx, kase: CaseForAccess) => Promise<T | Refusal>): Promise<T> {
    const out = await workflow.command(user, caseId, requestId, fn)
    if (out instanceof Refusal) throw out.error
    return out
  }

  const mayAdd = (user: CurrentUser) => user.roles.some((r) => CURATOR_ROLES.includes(r))

  /** Every entry of the case, unsorted. */
  async function entriesOf(trx: Trx, caseId: string): Promise<ChronologyEntry[]> {
    const events = (await casesRepo.listEvents(trx, caseId)).reverse()
    const entries: ChronologyEntry[] = []
    events.forEach((e, i) => {
      // Criminal process entries appear once, on the date they happened (below).
      if (e.action === 'RECORD_CRIMINAL_PROCESS') return
      const moved = e.fromStatus !== e.toStatus
      entries.push({ type: 'EVENT', at: e.occurredAt, dateOnly: false, title: chronologyLabel(e.action), text: moved ? `Status: ${STATUS_LABELS[e.toStatus as CaseStatus] ?? e.toStatus}` : '', by: e.actorName, seq: i })
    })
    ;(await repo.heldMeetings(trx, caseId)).forEach((m, i) => {
      entries.push({ type: 'MEETING', at: m.heldAt, dateOnly: false, title: MEETING_LABELS[m.kind] ?? 'Meeting held', text: `Chaired by ${m.chairName}`, by: m.chairName, seq: i })
    })
    ;(await criminal.listForCase(trx, caseId)).forEach((c, i) => {
      entries.push({ type: 'CRIMINAL_PROCESS', at: startOfLondonDay(c.occurredOn), dateOnly: true, title: KIND_LABELS[c.kind], text: entrySummary(c), by: c.recordedByName, seq: i })
    })
    const curated = await repo.curated(trx, caseId)
    curated.forEach((c, i) => {
      const corrected = c.correctsEntryId ? curated.find((x) => x.id === c.correctsEntryId) : undefined
      const prefix = corrected ? `Correction to “${corrected.title}” (${dateOf(corrected.occurredOn)}). ` : ''
      entries.push({ type: 'CURATED', at: startOfLondonDay(c.occurredOn), dateOnly: true, title: c.title, text: `${prefix}${c.text}`, by: c.authorName, seq: i })
    })
    return entries
  }

  return {
    async view(user: CurrentUser, caseId: string, filter: ChronologyFilter, format: ChronologyFormat, requestId: string): Promise<ChronologyView> {
      return run(user, caseId, requestId, async (trx, kase) => {
        const all = await entriesOf(trx, kase.id)
        const entries = applyFilter(all, filter)
        await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: 'chronology:read', recordType: 'case', recordId: kase.id, outcome: 'ALLOWED', requestId, detail: { childId: kase.childId, format, entries: entries.length } })
        return { kase, entries, total: all.length, filter, canAdd: mayAdd(user), generatedAt: now() }
      })
    },

    async addForm(user: CurrentUser, caseId: string, requestId: string): Promise<CuratedFormOptions> {
      return run(user, caseId, requestId, async (trx, kase) => {
        if (!mayAdd(user)) return refuse(trx, user, kase, requestId)
        return { kase, curated: await repo.curated(trx, kase.id) }
      })
    },

    async add(user: CurrentUser, caseId: string, input: CuratedInput, requestId: string): Promise<{ ok: true } | { ok: false; errors: FieldError[]; options: CuratedFormOptions }> {
      return run(user, caseId, requestId, async (trx, kase) => {
        if (!mayAdd(user)) return refuse(trx, user, kase, requestId)
        const curated = await repo.curated(trx, kase.id)
        const checked = validateCurated(input, { today: londonDate(now()), entryIds: curated.map((c) => c.id) })
        if (!checked.ok) return { ok: false as const, errors: checked.errors, options: { kase, curated } }
        const id = await repo.insertCurated(trx, { ...checked.value, partnershipId: user.partnershipId, caseId: kase.id, authorId: user.id })
        await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: 'chronology:add', recordType: 'case', recordId: kase.id, outcome: 'ALLOWED', requestId, detail: { childId: kase.childId, entryId: id, corrects: checked.value.correctsEntryId } })
        return { ok: true as const }
      })
    },
  }

  async function refuse(trx: Trx, user: CurrentUser, kase: CaseForAccess, requestId: string) {
    await audit.record(trx, { partnershipId: user.partnershipId, userId: user.id, action: 'chronology:add', recordType: 'case', recordId: kase.id, outcome: 'DENIED', requestId, detail: { childId: kase.childId } })
    return new Refusal(new ForbiddenError('Your role cannot add entries to the chronology.'))
  }
}
export type ChronologyService = ReturnType<typeof chronologyService>
