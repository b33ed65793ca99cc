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

/** The choices as one string, so a form can say which choices its figures were worked out for. */
export function choicesKey(choices: Choices): string {
  const { selection, decisions } = choices
  const chosen =
    selection.mode === 'RULES' ? `RULES|${[...selection.factors].sort().join(',')}|${[...selection.teams].sort().join(',')}` : 'ALL'
  const decided = Object.entries(decisions)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, d]) => `${id}=${d}`)
  return [chosen, ...decided].join(';')
}

/** Who a person in the extract is, as the extract says (for the person who uploaded it). */
export type PersonInExtract = { name: string; dateOfBirth: string }

const personText = (id: string, people: Readonly<Record<string, PersonInExtract>>) => {
  const p = people[id]
  return p ? `${p.name}, born ${p.dateOfBirth} (council id ${id})` : `Council id ${id}`
}

/** The summary as the page shows it: figures as rows, years in order, matches with their decision. */
export function presentSummary(summary: unknown, choices: Choices, people: Readonly<Record<string, PersonInExtract>> = {}) {
  const s = summary as Summary
  const years = [...new Set([...Object.keys(s.referralsByFinancialYear), ...Object.keys(s.strategyDiscussionsByFinancialYear)])].sort()
  // A check page says what importing would do; an import's page, once applied, what it did.
  const done = s.dryRun === false
  return {
    summary: s,
    choices,
    factorsText: choices.selection.mode === 'RULES' ? choices.selection.factors.join(', ') : '',
    teamsText: choices.selection.mode === 'RULES' ? choices.selection.teams.join(', ') : '',
    figures: [
      ['Children in the extract', count(s.children.found)],
      [done ? 'New children brought in' : 'New children to bring in', count(s.children.new)],
      ['Children already in the service', count(s.children.matched)],
      [
        done ? 'Children held back for a decision on a possible match (not imported)' : 'Children held until a possible match is decided',
        count(s.children.held),
      ],
      ['Children with no chosen episode (left out)', count(s.children.withoutSelectedEpisodes)],
      ['Episodes in the extract (not counting held children’s)', count(s.episodes.found)],
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
    checkedKey: choicesKey(choices),
    // The extract's people by name (the uploader has the extract); a child already here only as a
    // link, which opens for those who may open it (a match never discloses a record).
    matches: s.proposedMatches.map((m: ProposedMatch) => ({
      ...m,
      decision: choices.decisions[m.personId] ?? '',
      legend: `Is ${personText(m.personId, people)} the same child as ${
        'childId' in m.with ? 'a child already in the service' : personText(m.with.personId, people)
      }?`,
      childHref: 'childId' in m.with ? `/children/${m.with.childId}` : null,
    })),
  }
}
