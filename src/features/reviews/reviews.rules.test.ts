import { describe, expect, it } from 'vitest'
import { checkWhen, type WhenInput } from '../../platform/forms/when.js'
import { checkEvidenceFile, safeFileName, sniffType } from './reviews.evidence.js'
import { guessAgencyKind } from './reviews.import.js'
import {
  DEFAULT_RAG_KEY,
  asAtCutoff,
  boardRows,
  buildPlan,
  escapeFormula,
  isOverdue,
  normaliseActionText,
  progressFollows,
  ragKeyFrom,
  readAsAt,
  recordedLater,
  summarise,
  targetEvidenceCell,
  validateRagKey,
  whenAuditDetail,
  type ItemState,
  type PlanAction,
} from './reviews.rules.js'

const action = (over: Partial<Omit<PlanAction, 'overdue'>>): Omit<PlanAction, 'overdue'> => ({
  id: 'a1',
  responseId: 'r1',
  position: 1,
  text: 'Do it',
  rag: 'GREEN',
  constraints: null,
  targetDate: null,
  targetText: null,
  evidence: null,
  leadUserId: null,
  leadText: null,
  leadName: null,
  desiredOutcome: null,
  version: 1,
  recordedAt: new Date(),
  ...over,
})

describe('the RAG key', () => {
  it('defaults to the board’s four states, with completed last', () => {
    const key = ragKeyFrom([])
    expect(key.map((e) => [e.key, e.label, e.colour])).toEqual([
      ['RED', 'Red', 'red'],
      ['AMBER', 'Amber', 'orange'],
      ['GREEN', 'Green', 'green'],
      ['COMPLETED', 'Completed', 'blue'],
    ])
    expect(key[0]!.meaning).toBe('Not on track, remedial action required')
    expect(key[1]!.meaning).toBe('Needs monitoring to stay on track')
    expect(key[2]!.meaning).toBe('On track')
  })

  it('takes the partnership’s labels, colours and meanings over the defaults, and ignores colours GOV.UK has no tag for', () => {
    const key = ragKeyFrom([
      { key: 'COMPLETED', label: 'Done', colour: 'purple', meaning: 'Signed off' },
      { key: 'RED', label: 'Off track', colour: 'hotpink', meaning: 'x' },
    ])
    expect(key[3]).toEqual({ key: 'COMPLETED', label: 'Done', colour: 'purple', meaning: 'Signed off' })
    expect(key[0]).toEqual({ key: 'RED', label: 'Off track', colour: 'red', meaning: 'x' })
  })

  it('refuses a blank label or meaning, an unknown colour, and two states with the same label', () => {
    const input = Object.fromEntries(
      DEFAULT_RAG_KEY.map((e) => [e.key, { label: e.label, colour: e.colour, meaning: e.meaning }]),
    ) as Parameters<typeof validateRagKey>[0]
    expect(validateRagKey(input).ok).toBe(true)
    const bad = validateRagKey({
      ...input,
      RED: { label: ' ', colour: 'red', meaning: '' },
      AMBER: { label: 'green', colour: 'beige', meaning: 'm' },
    })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.errors.map((e) => e.href)).toEqual(['#red-label', '#red-meaning', '#amber-colour', '#green-label'])
  })
})

describe('overdue', () => {
  it('is a real target date before the day, not completed', () => {
    expect(isOverdue({ rag: 'AMBER', targetDate: '2026-01-31' }, '2026-02-01')).toBe(true)
    expect(isOverdue({ rag: null, targetDate: '2026-01-31' }, '2026-02-01')).toBe(true)
    expect(isOverdue({ rag: 'AMBER', targetDate: '2026-02-01' }, '2026-02-01')).toBe(false)
    expect(isOverdue({ rag: 'COMPLETED', targetDate: '2025-01-01' }, '2026-02-01')).toBe(false)
    expect(isOverdue({ rag: 'RED', targetDate: null }, '2026-02-01')).toBe(false)
  })
})

describe('spreadsheet formulas', () => {
  it('gets a leading apostrophe on text starting = + - @ tab or CR, and nothing else', () => {
    for (const v of ['=HYPERLINK("x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(escapeFormula(v)).toBe(`'${v}`)
    for (const v of ['Plain', '1 = 1', '', "'quoted"]) expect(escapeFormula(v)).toBe(v)
  })
})

describe('as at a date', () => {
  it('means up to the last moment of that day in the UK (BST in summer)', () => {
    expect(asAtCutoff('2026-01-15').toISOString()).toBe('2026-01-15T23:59:59.999Z')
    expect(asAtCutoff('2026-07-15').toISOString()).toBe('2026-07-15T22:59:59.999Z')
  })

  it('reads the date asked for: blank is today; future or nonsense dates are refused', () => {
    expect(readAsAt(undefined, '2026-03-01')).toEqual({ ok: true, value: '2026-03-01' })
    expect(readAsAt('2025-12-31', '2026-03-01')).toEqual({ ok: true, value: '2025-12-31' })
    expect(readAsAt('2026-03-02', '2026-03-01').ok).toBe(false)
    expect(readAsAt('2026-02-30', '2026-03-01').ok).toBe(false)
    expect(readAsAt(['2026-01-01'], '2026-03-01').ok).toBe(false)
  })

  it('builds the plan from the items recorded by then, leaving out anything whose parent did not exist yet', () => {
    const items: ItemState[] = [
      { itemType: 'FINDING', itemId: 'f10', parentId: null, data: { number: '10', title: 'Ten', narrative: null } },
      { itemType: 'FINDING', itemId: 'f2', parentId: null, data: { number: '2', title: 'Two', narrative: null } },
      { itemType: 'QUESTION', itemId: 'q2b', parentId: 'f2', data: { code: '2b', text: 'B' } },
      { itemType: 'QUESTION', itemId: 'q2a', parentId: 'f2', data: { code: '2a', text: 'A' } },
      { itemType: 'QUESTION', itemId: 'orphan', parentId: 'f-later', data: { code: '9a', text: 'later' } },
      { itemType: 'RESPONSE', itemId: 'r1', parentId: 'q2a', data: { agencyId: 'g', agencyName: 'Police', response: 'Yes' } },
    ]
    const plan = buildPlan(
      items,
      [
        action({ id: 'x2', position: 2 }),
        action({ id: 'x1', position: 1, targetDate: '2026-01-01', rag: 'RED' }),
        action({ id: 'gone', responseId: 'r-later' }),
      ],
      '2026-02-01',
    )
    expect(plan.map((f) => f.number)).toEqual(['2', '10'])
    expect(plan[0]!.questions.map((q) => q.code)).toEqual(['2a', '2b'])
    const actions = plan[0]!.questions[0]!.responses[0]!.actions
    expect(actions.map((a) => [a.id, a.overdue])).toEqual([
      ['x1', true],
      ['x2', false],
    ])
    const summary = summarise(plan, ragKeyFrom([]))
    expect(summary.total).toBe(2)
    expect(summary.overdue).toBe(1)
    expect(summary.byRag.map((r) => [r.key, r.count])).toEqual([
      ['RED', 1],
      ['AMBER', 0],
      ['GREEN', 1],
      ['COMPLETED', 0],
    ])
    expect(summary.byAgency).toEqual([{ agencyName: 'Police', total: 2, counts: { RED: 1, GREEN: 1 }, overdue: 1 }])
  })

  it('lays the plan out in the board’s rows, one per action, keeping questions without responses', () => {
    const items: ItemState[] = [
      { itemType: 'FINDING', itemId: 'f1', parentId: null, data: { number: '1', title: 'Sharing', narrative: null } },
      { itemType: 'QUESTION', itemId: 'q1', parentId: 'f1', data: { code: '1a', text: 'Share' } },
      { itemType: 'QUESTION', itemId: 'q2', parentId: 'f1', data: { code: '1b', text: 'Train' } },
      { itemType: 'RESPONSE', itemId: 'r1', parentId: 'q1', data: { agencyId: 'g', agencyName: 'Health', response: 'Agreed' } },
    ]
    const rows = boardRows(
      buildPlan(items, [action({ evidence: 'Audit', targetDate: '2026-03-31', leadText: 'JF' })], '2026-01-01'),
      ragKeyFrom([]),
    )
    expect(rows.map((r) => [r.finding, r.question, r.agency, r.action, r.rag, r.targetEvidence, r.lead])).toEqual([
      ['1. Sharing', '1a Share', 'Health', 'Do it', 'Green', '31/03/2026\n\nAudit', 'JF'],
      ['1. Sharing', '1b Train', '', '', '', '', ''],
    ])
  })
})

describe('text', () => {
  it('matches actions whatever their case, spacing, curly quotes or trailing full stop', () => {
    expect(normaliseActionText('  Review the  ‘Pathway’ guidance.  ')).toBe(normaliseActionText("review the 'pathway' guidance"))
  })
  it('writes the target cell as a date or the board’s words, then the evidence', () => {
    expect(targetEvidenceCell({ targetDate: null, targetText: 'Nov 14', evidence: null })).toBe('Nov 14')
    expect(targetEvidenceCell({ targetDate: null, targetText: null, evidence: 'Minutes' })).toBe('Minutes')
  })
  it('guesses an imported agency’s kind from its name', () => {
    expect(guessAgencyKind('Northshire Constabulary')).toBe('POLICE')
    expect(guessAgencyKind('CAMHS')).toBe('HEALTH')
    expect(guessAgencyKind('YOT')).toBe('YOUTH_OFFENDING')
    expect(guessAgencyKind('Somewhere Else')).toBe('PARTNERSHIP')
  })
})

describe('evidence documents', () => {
  const pdf = Buffer.from('%PDF-1.7\n...\n%%EOF\n')
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])
  it('knows a file by its structure, not a name in its bytes', () => {
    expect(sniffType(pdf)).toBe('pdf')
    expect(sniffType(png)).toBe('png')
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpg')
    // Only the names as text: not a zip with those parts (real files: reviews.evidence.test.ts).
    expect(sniffType(Buffer.from('PK\u0003\u0004....word/document.xml', 'latin1'))).toBeNull()
    expect(sniffType(Buffer.from('PK\u0003\u0004....xl/workbook.xml', 'latin1'))).toBeNull()
    expect(sniffType(Buffer.from('MZ\u0090\u0000'))).toBeNull()
  })
  it('refuses a file whose content does not match its name, an empty one and one over 10 MB', () => {
    expect(checkEvidenceFile({ originalname: 'minutes.pdf', size: pdf.length, buffer: pdf })).toEqual({
      ok: true,
      type: 'pdf',
      fileName: 'minutes.pdf',
    })
    expect(checkEvidenceFile({ originalname: 'photo.JPEG', size: 4, buffer: Buffer.from([0xff, 0xd8, 0xff, 0xe0]) }).ok).toBe(true)
    expect(checkEvidenceFile({ originalname: 'evil.pdf', size: 4, buffer: Buffer.from('MZ\u0090\u0000') }).ok).toBe(false)
    expect(checkEvidenceFile({ originalname: 'renamed.png', size: pdf.length, buffer: pdf }).ok).toBe(false)
    expect(checkEvidenceFile({ originalname: 'empty.pdf', size: 0, buffer: Buffer.alloc(0) }).ok).toBe(false)
    expect(checkEvidenceFile({ originalname: 'big.pdf', size: 10 * 1024 * 1024 + 1, buffer: pdf }).ok).toBe(false)
    expect(checkEvidenceFile(undefined).ok).toBe(false)
  })
  it('keeps a safe file name', () => {
    expect(safeFileName('../../etc/pass"wd<x>.pdf', 'pdf')).toBe('pass_wd_x_.pdf')
    expect(safeFileName('C:\\Users\\me\\report.final.PDF', 'pdf')).toBe('report.final.pdf')
  })
})

describe('when a progress update happened', () => {
  const now = new Date('2025-03-20T12:00:00Z')
  const lastUpdate = new Date('2025-03-01T10:00:00Z')
  const typed = (day: string, time: string, lateReason = ''): WhenInput => ({ day, month: '3', year: '2025', time, lateReason })
  const rules = { now, follows: progressFollows({ occurredAt: lastUpdate }), lateAfterDays: 7 }

  it('cannot come before the action’s last update, which it changes, and says so in words', () => {
    expect(progressFollows(undefined)).toBeNull()
    const before = checkWhen(typed('1', '9:59am', 'Minutes arrived late'), rules)
    expect(before).toEqual({
      ok: false,
      errors: [
        {
          href: '#occurred-day',
          text: 'The date and time it happened must be the same as or after the last update to this action (10am on 1 March 2025)',
        },
      ],
    })
    expect(checkWhen(typed('1', '10:00am', 'Minutes arrived late'), rules)).toMatchObject({ ok: true })
  })

  it('may be dated 1 March when entered on 20 March, with the reason it is late', () => {
    expect(checkWhen(typed('1', '2pm'), rules)).toMatchObject({ ok: false, errors: [{ href: '#late-reason' }] })
    expect(checkWhen(typed('1', '2pm', 'The minutes arrived by post'), rules)).toEqual({
      ok: true,
      value: { occurredAt: new Date('2025-03-01T14:00:00Z'), lateReason: 'The minutes arrived by post', given: true },
    })
  })

  it('is audited with when it happened when said, and why it was entered late when it was', () => {
    expect(whenAuditDetail({ occurredAt: now, lateReason: null, given: false })).toEqual({})
    expect(whenAuditDetail({ occurredAt: new Date('2025-03-18T09:00:00Z'), lateReason: null, given: true })).toEqual({
      occurredAt: '2025-03-18T09:00:00.000Z',
    })
    expect(whenAuditDetail({ occurredAt: new Date('2025-03-01T14:00:00Z'), lateReason: 'By post', given: true })).toEqual({
      occurredAt: '2025-03-01T14:00:00.000Z',
      lateReason: 'By post',
    })
  })

  it('counts as recorded later than it happened only when more than 5 minutes apart', () => {
    expect(recordedLater({ occurredAt: now, recordedAt: now })).toBe(false)
    expect(recordedLater({ occurredAt: new Date(now.getTime() - 5 * 60_000), recordedAt: now })).toBe(false)
    expect(recordedLater({ occurredAt: new Date(now.getTime() - 5 * 60_000 - 1), recordedAt: now })).toBe(true)
  })
})
