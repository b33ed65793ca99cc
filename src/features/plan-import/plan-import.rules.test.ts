import { describe, expect, it } from 'vitest'
import { BOARD_PLAN_COLUMNS } from '../reviews/index.js'
import {
  columnFor,
  countPlan,
  findHeader,
  mapChoice,
  parseDateText,
  parsePlan,
  readFinding,
  readMapping,
  readQuestion,
  readRag,
  readTarget,
  resolvePlan,
  type SheetCell,
  type SheetRow,
} from './plan-import.rules.js'

const KEYS = ['RED', 'AMBER', 'GREEN', 'COMPLETED']
const rowsOf = (table: (string | SheetCell)[][], first = 1): SheetRow[] =>
  table.map((cells, i) => ({ rowNumber: first + i, cells: cells.map((c) => (typeof c === 'string' ? { text: c } : c)) }))
const above = (text: string): SheetCell => ({ text, fromAbove: true })

describe('header detection', () => {
  it('knows the layout’s columns in their usual wordings', () => {
    expect(columnFor('Questions')).toBe('question')
    expect(columnFor(' Recommendation(s) ')).toBe('question')
    expect(columnFor('Lead person')).toBe('lead')
    expect(columnFor('OWNER')).toBe('lead')
    expect(columnFor('Target date / evidence')).toBe('target')
    expect(columnFor('RAG status')).toBe('rag')
    expect(columnFor('Status')).toBe('rag')
    expect(columnFor('Constraints/Problems')).toBe('constraints')
    expect(columnFor('Desired Outcome')).toBe('outcome')
    expect(columnFor('Notes')).toBeNull()
  })

  it('finds the first row that reads as the header, below title rows', () => {
    const rows = rowsOf([
      ['Learning review action plan – progress report', '', ''],
      ['As at 1 March 2026', '', ''],
      ['Question', 'Agency', 'Response', 'Actions', 'RAG', 'Lead'],
    ])
    expect(findHeader(rows)).toMatchObject({
      rowIndex: 2,
      rowNumber: 3,
      columns: { question: 0, agency: 1, response: 2, action: 3, rag: 4, lead: 5 },
    })
    expect(
      findHeader(
        rowsOf([
          ['Name', 'Date'],
          ['Actions', 'Notes'],
        ]),
      ),
    ).toBeNull()
  })
})

describe('cells', () => {
  it('reads question codes however they are written', () => {
    expect(readQuestion('1a Agencies should share')).toEqual({ code: '1a', text: 'Agencies should share' })
    expect(readQuestion('1a) Agencies')).toEqual({ code: '1a', text: 'Agencies' })
    expect(readQuestion('2B. How do we')).toEqual({ code: '2b', text: 'How do we' })
    expect(readQuestion('(3c) Why')).toEqual({ code: '3c', text: 'Why' })
    expect(readQuestion('Q4: What')).toEqual({ code: '4', text: 'What' })
    expect(readQuestion('How do agencies know')).toEqual({ code: null, text: 'How do agencies know' })
  })

  it('reads findings from section rows and from the export’s column', () => {
    expect(readFinding('Finding 1: Information sharing')).toEqual({ number: '1', title: 'Information sharing' })
    expect(readFinding('2. Supervision')).toEqual({ number: '2', title: 'Supervision' })
    expect(readFinding('Theme 3 – Training')).toEqual({ number: '3', title: 'Training' })
    expect(readFinding('Finding: Voice of the child')).toEqual({ number: null, title: 'Voice of the child' })
  })

  it('reads dates the ways boards write them, and nothing else', () => {
    expect(parseDateText('31/03/2026')).toBe('2026-03-31')
    expect(parseDateText('1/4/26')).toBe('2026-04-01')
    expect(parseDateText('3 March 2026')).toBe('2026-03-03')
    expect(parseDateText('21st Sept 2026')).toBe('2026-09-21')
    expect(parseDateText('2026-06-30')).toBe('2026-06-30')
    expect(parseDateText('31/02/2026')).toBeNull()
    expect(parseDateText('End of Q3')).toBeNull()
    expect(parseDateText('March 2026')).toBeNull()
  })

  it('splits the target date/evidence cell into the date or the text, and the evidence', () => {
    expect(readTarget({ text: '2026-03-31', date: '2026-03-31' }, true)).toEqual({ targetDate: '2026-03-31' })
    expect(readTarget({ text: 'Ongoing' }, true)).toEqual({ targetText: 'Ongoing' })
    expect(readTarget({ text: '30/06/2026\nAudit report to the board' }, true)).toEqual({
      targetDate: '2026-06-30',
      evidence: 'Audit report to the board',
    })
    expect(readTarget({ text: 'End of\nQ3\n\nMinutes of the subgroup' }, true)).toEqual({
      targetText: 'End of\nQ3',
      evidence: 'Minutes of the subgroup',
    })
    expect(readTarget({ text: 'End of\nQ3\n\nMinutes' }, false)).toEqual({ targetText: 'End of\nQ3\n\nMinutes' })
  })

  it('maps the known RAG words and leaves the rest for a person', () => {
    for (const word of ['Action complete', 'Action  completed', 'Completed', 'complete', 'C', 'Blue', 'b'])
      expect(readRag(word)).toEqual({ kind: 'known', key: 'COMPLETED' })
    for (const word of ['G', 'green', 'On track']) expect(readRag(word)).toEqual({ kind: 'known', key: 'GREEN' })
    expect(readRag('A')).toEqual({ kind: 'known', key: 'AMBER' })
    expect(readRag('Red')).toEqual({ kind: 'known', key: 'RED' })
    expect(readRag('  ')).toEqual({ kind: 'blank' })
    expect(readRag('P')).toEqual({ kind: 'unknown', word: 'p' })
    expect(readRag('TBC')).toEqual({ kind: 'unknown', word: 'tbc' })
    expect(readRag('Purple', { purple: 'COMPLETED' })).toEqual({ kind: 'known', key: 'COMPLETED' })
  })

  it('reads a mapping as typed on the command line', () => {
    expect(readMapping('P=amber', {})).toEqual({ word: 'p', key: 'AMBER' })
    expect(readMapping('Pending = Red', {})).toEqual({ word: 'pending', key: 'RED' })
    expect(readMapping('TBC=none', {})).toEqual({ word: 'tbc', key: 'NONE' })
    expect(readMapping('P=purple', {})).toBeNull()
    expect(readMapping('P', {})).toBeNull()
    expect(mapChoice('Not on track', { 'not on track': 'RED' })).toBe('RED')
  })
})

/** A messy plan as boards write them: title rows, section rows, merged and blank "same as above" cells, mixed RAG words. */
const MESSY = rowsOf([
  ['Rapid review action plan', '', '', '', '', '', '', '', ''],
  [
    ' questions ',
    'Agency',
    'Response',
    'Actions',
    'RAG status',
    'Constraints / problems',
    'Target date / evidence',
    'Lead',
    'Desired outcome',
  ],
  ['Finding 1: Information sharing', '', '', '', '', '', '', '', ''],
  [
    '1a) How do agencies share concerns?',
    'Police',
    'We will review',
    'Brief all officers',
    'Action complete',
    '',
    '31/03/2026',
    'DI Grey',
    'Officers share',
  ],
  [
    above('1a) How do agencies share concerns?'),
    above('Police'),
    above('We will review'),
    'Update the\nbriefing pack',
    'G',
    'Staff turnover',
    'End of Q3',
    'DI Grey',
    '',
  ],
  ['', 'Health', 'Named nurse to lead', 'Audit of referrals', 'P', '', '30/06/2026\nAudit report', 'Named nurse', ''],
  ['1b. Is the voice of the child heard?', 'Children’s Services', '', 'Practice week', 'amber', '', '3 March 2026', '', ''],
  ['', '', '', 'Practice week follow-up', '', '', '', '', ''],
  ['', '', '', '', '', '', '', '', ''],
  ['Finding 2: Supervision', '', '', '', '', '', '', '', ''],
  ['2a Supervision of complex cases', 'Education', 'Schools to adopt', 'Designated leads trained', 'Red', '', 'ongoing', '', ''],
  ['', 'Police', '', 'Supervision audit', 'Pending', '', '', '', ''],
  ['', '', '', 'Supervision policy', 'P ', '', '', '', ''],
])

describe('parsing a messy plan', () => {
  const parsed = parsePlan(MESSY)!

  it('counts every finding, question, agency and action', () => {
    expect(parsed.problems).toEqual([])
    expect(countPlan(parsed)).toEqual({ findings: 2, questions: 3, agencies: 4, actions: 8 })
    expect(parsed.findings.map((f) => [f.number, f.title, f.questions.map((q) => q.code)])).toEqual([
      ['1', 'Information sharing', ['1a', '1b']],
      ['2', 'Supervision', ['2a']],
    ])
    const q1a = parsed.findings[0]!.questions[0]!
    expect(q1a.text).toBe('How do agencies share concerns?')
    expect(q1a.responses.map((r) => [r.agencyName, r.response, r.actions.length])).toEqual([
      ['Police', 'We will review', 2],
      ['Health', 'Named nurse to lead', 1],
    ])
  })

  it('keeps wrapped cells and reads dates, free text and evidence', () => {
    const [first, second] = parsed.findings[0]!.questions[0]!.responses[0]!.actions
    expect(first).toMatchObject({
      text: 'Brief all officers',
      targetDate: '2026-03-31',
      leadText: 'DI Grey',
      desiredOutcome: 'Officers share',
    })
    expect(second).toMatchObject({ text: 'Update the\nbriefing pack', targetText: 'End of Q3', constraints: 'Staff turnover' })
    expect(parsed.findings[0]!.questions[0]!.responses[1]!.actions[0]).toMatchObject({ targetDate: '2026-06-30', evidence: 'Audit report' })
  })

  it('counts the RAG words as written and lists the unknown ones with their rows', () => {
    expect(parsed.ragAsWritten).toEqual({ 'Action complete': 1, G: 1, P: 2, amber: 1, '': 1, Red: 1, Pending: 1 })
    expect(parsed.unknownWords).toEqual([
      { word: 'p', asWritten: 'P', rows: [6, 13] },
      { word: 'pending', asWritten: 'Pending', rows: [12] },
    ])
  })

  it('saves nothing until every unknown word is mapped, and never guesses', () => {
    const partial = resolvePlan(parsed, { p: 'AMBER' }, KEYS)
    expect(partial.ok).toBe(false)
    if (!partial.ok) expect(partial.unmapped.map((u) => u.word)).toEqual(['pending'])
    expect(resolvePlan(parsed, { p: 'AMBER', pending: 'PURPLE' }, KEYS).ok).toBe(false)
    const full = resolvePlan(parsed, { p: 'AMBER', pending: 'NONE' }, KEYS)
    expect(full.ok).toBe(true)
    expect(full.ragAsMapped).toEqual({ COMPLETED: 1, GREEN: 1, AMBER: 3, NONE: 2, RED: 1 })
    if (full.ok) expect(full.plan.findings[1]!.questions[0]!.responses[1]!.actions.map((a) => a.ragKey)).toEqual([null, 'AMBER'])
  })
})

describe('row problems', () => {
  const header = ['Recommendation', 'Agency', 'Response', 'Action', 'Status', 'Owner', 'Target date']
  it('lists formulas, missing action text, and a question code reused with other text, by row', () => {
    const parsed = parsePlan(
      rowsOf([
        header,
        ['1a Share concerns', 'Police', 'Yes', 'Brief officers', 'G', 'DI Grey', { text: '46000', formula: true }],
        ['', 'Police', '', '', 'G', 'DI Grey', ''],
        ['1a Something else', 'Health', '', 'Audit', 'R', '', ''],
      ]),
    )!
    expect(parsed.problems.filter((p) => p.severity === 'error').map((p) => p.text)).toEqual([
      'Row 2: cell G2 holds a formula. Replace it with its value and import again.',
      'Row 3: there is no action text, but the row has other action details.',
      'Row 4: question 1a has different text from row 2.',
    ])
  })

  it('refuses an action with no question or no agency above it', () => {
    const parsed = parsePlan(rowsOf([header, ['', 'Police', '', 'Brief officers', '', '', ''], ['2a Q', '', '', 'Audit', '', '', '']]))!
    expect(parsed.problems.map((p) => p.text)).toEqual([
      'Row 2: there is no question above this row.',
      'Row 3: there is no agency for this row or above it.',
    ])
  })

  it('counts a repeated row once, with a warning', () => {
    const parsed = parsePlan(rowsOf([header, ['1a Q', 'Police', '', 'Brief', '', '', ''], ['1a Q', 'Police', '', 'Brief', '', '', '']]))!
    expect(countPlan(parsed).actions).toBe(1)
    expect(parsed.problems).toEqual([
      { row: 3, severity: 'warning', text: 'Row 3: the same action as row 2 (same question, agency and text); it is counted once.' },
    ])
  })

  it('reads the export’s own layout: a Finding column, a response with no actions, a question with no responses', () => {
    const parsed = parsePlan(
      rowsOf([
        [...BOARD_PLAN_COLUMNS],
        ['1. Information sharing', '1a Share', 'Police', 'Will do', 'Brief', 'Green', '', '31/03/2026\n\nBriefing notes', 'DI Grey', ''],
        ['1. Information sharing', '1a Share', 'Health', 'Nothing to add', '', '', '', '', '', ''],
        ['2. Supervision', '2a Supervise', '', '', '', '', '', '', '', ''],
      ]),
    )!
    expect(parsed.problems).toEqual([])
    expect(countPlan(parsed)).toEqual({ findings: 2, questions: 2, agencies: 2, actions: 1 })
    expect(parsed.findings[0]!.questions[0]!.responses[0]!.actions[0]).toMatchObject({
      targetDate: '2026-03-31',
      evidence: 'Briefing notes',
    })
    expect(parsed.findings[1]!.questions[0]!.responses).toEqual([])
  })

  it('finds no plan without a header', () => {
    expect(
      parsePlan(
        rowsOf([
          ['a', 'b'],
          ['c', 'd'],
        ]),
      ),
    ).toBeNull()
  })
})
