import type { MatchDecision, ProposedMatch, Summary } from './ssd-import.service.js'
import type { Selection } from './ssd-import.rules.js'

/** What a person chose on the preview: which episodes, and each proposed match's decision. */
export type Choices = { selection: Selection; decisions: Record<string, MatchDecision> }

const words = (x: unknown): string[] =>
  (typeof x === 'string' ? x : Array.isArray(x) ? x.join(',') : '')
    .split(/[,\n;]+/)
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, 50)
    .map((w) => w.slice(0, 100))

/** Reads the preview's choices from a query string or a form: `mode`, `factors`, `teams`, and `match-<personId>` = same | separate. */
export function readChoices(input: unknown): Choices {
  const body = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>
  const factors = words(body.factors)
  const teams = words(body.teams)
  const selection: Selection = body.mode === 'RULES' ? { mode: 'RULES', factors, teams } : { mode: 'ALL' }
  const decisions: Record<string, MatchDecision> = {}
  for (const [key, value] of Object.entries(body)) {
    if (!key.startsWith('match-') || key.length > 120) continue
    if (value === 'SAME' || value === 'SEPARATE') decisions[key.slice('match-'.length)] = value
  }
  return { selection, decisions }
}

const count = (n: number) => n.toLocaleString('en-GB')

/** The summary as the page shows it: figures as rows, years in order, matches with their decision. */
export function presentSummary(summary: unknown, choices: Choices) {
  const s = summary as Summary
  const years = [...new Set([...Object.keys(s.referralsByFinancialYear), ...Object.keys(s.strategyDiscussionsByFinancialYear)])].sort()
  return {
    summary: s,
    choices,
    factorsText: choices.selection.mode === 'RULES' ? choices.selection.factors.join(', ') : '',
    teamsText: choices.selection.mode === 'RULES' ? choices.selection.teams.join(', ') : '',
    figures: [
      ['Children in the extract', count(s.children.found)],
      ['New children to bring in', count(s.children.new)],
      ['Children already in the service', count(s.children.matched)],
      ['Children held until a possible match is decided', count(s.children.held)],
      ['Children with no chosen episode (left out)', count(s.children.withoutSelectedEpisodes)],
      ['Episodes in the extract', count(s.episodes.found)],
      ['Episodes chosen', count(s.episodes.selected)],
      ['New episodes', count(s.episodes.new)],
      ['Episodes changed since the last import', count(s.episodes.updated)],
      ['Episodes already imported, unchanged', count(s.episodes.unchanged)],
      ['Assessments', count(s.assessments)],
      ['Contacts (counted, not brought in)', count(s.contacts)],
      ['Rows that cannot be imported', count(s.rejectedCount)],
      ['Warnings', count(s.warningCount)],
    ],
    years: years.map((y) => [y, count(s.referralsByFinancialYear[y] ?? 0), count(s.strategyDiscussionsByFinancialYear[y] ?? 0)]),
    matches: s.proposedMatches.map((m: ProposedMatch) => ({
      ...m,
      decision: choices.decisions[m.personId] ?? '',
      withText:
        'childId' in m.with
          ? `A child already in the service${m.with.localCaseId ? ` (council id ${m.with.localCaseId})` : ''}`
          : `Person ${m.with.personId} in this extract`,
      childHref: 'childId' in m.with ? `/children/${m.with.childId}` : null,
    })),
  }
}
