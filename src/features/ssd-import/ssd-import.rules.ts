import { createHash } from 'node:crypto'
import { isIsoDate, londonDate } from '../../platform/clocks/london-time.js'
import { dayOccurredAt } from '../../platform/forms/when.js'
import type { CaseStatus, ImportedEvent } from '../cases/index.js'

/**
 * The SSD import's rules, pure: which episodes a partnership brings in, what each becomes in the
 * case's history, the financial year a date counts in, and a row's fingerprint. No I/O.
 */

export type Values = Readonly<Record<string, string | null>>

/** Which episodes to bring in: all, or those matching the partnership's rules (any factor listed, or any team listed). */
export type Selection = { mode: 'ALL' } | { mode: 'RULES'; factors: readonly string[]; teams: readonly string[] }
export const ALL_EPISODES: Selection = { mode: 'ALL' }

/** One CIN episode with what hangs off it in the extract. */
export type StagedEpisode = {
  key: string
  rowNo: number
  personId: string
  values: Values
  s47: { key: string; values: Values }[]
  assessments: { key: string; values: Values; factors: string[] }[]
  conferences: { key: string; values: Values }[]
  involvements: { key: string; values: Values; professional: Values | null; team: string | null }[]
}

const v = (values: Values, column: string): string | null => values[column] ?? null

/** The factor codes an assessment factors row lists: a JSON list, or codes separated by commas. */
export function factorCodes(raw: string | null): string[] {
  if (!raw) return []
  try {
    const parsed: unknown = JSON.parse(raw)
    if (Array.isArray(parsed)) return parsed.map((x) => String(x).trim().toUpperCase()).filter(Boolean)
    if (parsed && typeof parsed === 'object')
      return Object.entries(parsed as Record<string, unknown>)
        .filter(([, on]) => on === true || on === 'Y' || on === 1 || on === '1' || on === 'Yes')
        .map(([code]) => code.trim().toUpperCase())
  } catch {
    // not JSON: a list of codes
  }
  return raw
    .split(/[,;|\s]+/)
    .map((c) =>
      c
        .replace(/["[\]{}]/g, '')
        .trim()
        .toUpperCase(),
    )
    .filter(Boolean)
}

/** The teams an episode was worked by (the referral's, the s47's, the assessments' and the involvements'). */
export function episodeTeams(e: StagedEpisode): string[] {
  const teams = [
    v(e.values, 'cine_referral_team'),
    ...e.s47.map((s) => v(s.values, 's47e_s47_completed_by_team')),
    ...e.assessments.map((a) => v(a.values, 'cina_assessment_team')),
    ...e.involvements.map((i) => i.team),
  ]
  return [...new Set(teams.filter((t): t is string => !!t))]
}

export function isSelected(e: StagedEpisode, selection: Selection): boolean {
  if (selection.mode === 'ALL') return true
  const factors = new Set(selection.factors.map((f) => f.trim().toUpperCase()))
  const teams = new Set(selection.teams.map((t) => t.trim().toLowerCase()))
  if (e.assessments.some((a) => a.factors.some((f) => factors.has(f)))) return true
  return episodeTeams(e).some((t) => teams.has(t.toLowerCase()))
}

/** The UK financial year (April to March) a moment counts in, by its UK date: "2024-25". */
export function financialYearOf(at: Date): string {
  const [y, m] = londonDate(at).split('-').map(Number) as [number, number]
  const start = m >= 4 ? y : y - 1
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`
}

/** A row's fingerprint: its normalised values, in column order. */
export function rowHash(values: Values): string {
  const sorted = Object.keys(values)
    .sort()
    .map((k) => [k, values[k] ?? null])
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 32)
}

/**
 * When a dated step happened: a date (the SSD's dates have no time) is the end of that UK day, as
 * for every step recorded by its day here (`dayOccurredAt`); a date and time is that moment. A
 * date still to come is refused before this is asked.
 */
const instantOf = (value: string | null, now: Date): Date | null =>
  value === null ? null : isIsoDate(value) ? dayOccurredAt(value, now) : new Date(value)
/** The UK date of a value (a date, or a moment). */
const dayOf = (value: string): string => (isIsoDate(value) ? value : londonDate(new Date(value)))

export type EpisodePlan =
  | {
      ok: true
      referralReceivedAt: Date
      closedAt: Date | null
      status: CaseStatus
      events: ImportedEvent[]
      strategyDiscussions: { key: string; heldAt: Date }[]
      referralSource: string | null
      assessments: number
    }
  | { ok: false; reason: string }

const S47_NFA = (values: Values) => v(values, 's47e_s47_nfa') === 'Y'

/**
 * What one episode becomes: a case opened when the referral was received, its steps at when they
 * happened (strategy discussions, assessments with their factors, conferences, workers involved,
 * the closure), and the status it is left in: closed if the episode closed; otherwise strategy
 * discussion held if there was one, else waiting at the front door to be screened here. Refused
 * (never half-written) when a date is impossible for it: before the child was born, or a closure
 * before its referral.
 */
export function planEpisode(e: StagedEpisode, dateOfBirth: string, now: Date): EpisodePlan {
  const today = londonDate(now)
  const referralDate = v(e.values, 'cine_referral_date')
  if (!referralDate) return { ok: false, reason: 'The referral has no date (cine_referral_date)' }
  if (dayOf(referralDate) < dateOfBirth) return { ok: false, reason: 'The referral date is before the child’s date of birth' }
  if (dayOf(referralDate) > today) return { ok: false, reason: 'The referral date is in the future' }
  const closeDate = v(e.values, 'cine_close_date')
  if (closeDate && dayOf(closeDate) < dayOf(referralDate)) return { ok: false, reason: 'The episode closes before its referral date' }
  if (closeDate && dayOf(closeDate) > today) return { ok: false, reason: 'The episode’s close date is in the future' }
  const at = (value: string | null) => instantOf(value, now)
  const received = at(referralDate)!
  const closedAt = at(closeDate)
  // Steps dated outside the episode (a typing slip in the council's system) are left out, not guessed.
  const within = (d: Date | null) => d !== null && d.getTime() >= received.getTime() && d.getTime() <= (closedAt ?? now).getTime()

  const source = [v(e.values, 'cine_referral_source_code'), v(e.values, 'cine_referral_source_desc')].filter(Boolean).join(' ')
  const events: ImportedEvent[] = [
    {
      action: 'IMPORTED_REFERRAL',
      occurredAt: received,
      sourceKey: `referral:${e.key}`,
      toStatus: 'REFERRED',
      detail: { summary: source ? `Source: ${source}.` : '', councilReferralId: e.key },
    },
  ]
  const strategyDiscussions: { key: string; heldAt: Date }[] = []
  for (const s of e.s47) {
    const started = at(v(s.values, 's47e_s47_start_date'))
    if (within(started)) {
      strategyDiscussions.push({ key: s.key, heldAt: started! })
      events.push({
        action: 'IMPORTED_STRATEGY_DISCUSSION',
        occurredAt: started!,
        sourceKey: `s47:${s.key}`,
        detail: { summary: '', councilId: s.key },
      })
    }
    const ended = at(v(s.values, 's47e_s47_end_date'))
    if (within(ended))
      events.push({
        action: 'IMPORTED_SECTION_47_END',
        occurredAt: ended!,
        sourceKey: `s47-end:${s.key}`,
        detail: { summary: S47_NFA(s.values) ? 'No further action.' : '' },
      })
  }
  for (const a of e.assessments) {
    const started = at(v(a.values, 'cina_assessment_start_date'))
    if (within(started))
      events.push({ action: 'IMPORTED_ASSESSMENT_STARTED', occurredAt: started!, sourceKey: `assessment-start:${a.key}` })
    const done = at(v(a.values, 'cina_assessment_auth_date'))
    if (within(done))
      events.push({
        action: 'IMPORTED_ASSESSMENT',
        occurredAt: done!,
        sourceKey: `assessment:${a.key}`,
        detail: {
          summary: a.factors.length ? `Factors: ${a.factors.join(', ')}.` : '',
          factors: a.factors,
          councilId: a.key,
          startedAt: started ? started.toISOString() : null,
        },
      })
  }
  for (const c of e.conferences) {
    const held = at(v(c.values, 'icpc_icpc_date'))
    if (within(held))
      events.push({
        action: 'IMPORTED_CONFERENCE',
        occurredAt: held!,
        sourceKey: `icpc:${c.key}`,
        detail: { summary: v(c.values, 'icpc_icpc_outcome_cp_flag') === 'Y' ? 'Child protection plan.' : '', councilId: c.key },
      })
  }
  for (const i of e.involvements) {
    const from = at(v(i.values, 'invo_involvement_start_date'))
    if (!from) continue
    const name = i.professional ? (v(i.professional, 'prof_professional_name') ?? v(i.professional, 'prof_professional_job_title')) : null
    const words = [name, i.team ? `(${i.team})` : null].filter(Boolean).join(' ')
    const until = at(v(i.values, 'invo_involvement_end_date'))
    events.push({
      action: 'IMPORTED_INVOLVEMENT',
      occurredAt: from.getTime() < received.getTime() ? received : from,
      sourceKey: `involvement:${i.key}`,
      detail: { summary: `${words || 'A worker'}${until ? `, until ${until.toISOString().slice(0, 10)}` : ''}.` },
    })
  }
  if (closedAt) {
    const reason = v(e.values, 'cine_close_reason')
    events.push({
      action: 'IMPORTED_CLOSURE',
      occurredAt: closedAt,
      sourceKey: `closure:${e.key}`,
      toStatus: 'CLOSED',
      detail: { summary: reason ? `Reason: ${reason}.` : '', closeReason: reason },
    })
  }
  const status: CaseStatus = closedAt ? 'CLOSED' : strategyDiscussions.length ? 'STRATEGY_MEETING_HELD' : 'REFERRED'
  // The first strategy discussion moves the case on (so its status as at any date is right).
  const first = events.findIndex((x) => x.action === 'IMPORTED_STRATEGY_DISCUSSION')
  if (first >= 0) events[first]!.toStatus = 'STRATEGY_MEETING_HELD'
  return {
    ok: true,
    referralReceivedAt: received,
    closedAt,
    status,
    events,
    strategyDiscussions,
    referralSource: v(e.values, 'cine_referral_source_code'),
    assessments: e.assessments.length,
  }
}

/** The kind of agency a CIN referral source code names (the CIN census code set), to find the partnership's agency of that kind. */
export function agencyKindOfSource(code: string | null): string | null {
  const c = (code ?? '').trim().toUpperCase()
  if (/^2[A-Z]?$/.test(c)) return 'EDUCATION'
  if (/^3[A-Z]?$/.test(c)) return 'HEALTH'
  if (/^5[A-Z]?$/.test(c)) return 'CHILDRENS_SERVICES'
  if (c === '6') return 'POLICE'
  if (c === '7') return 'YOUTH_OFFENDING'
  return null
}
