import { describe, expect, it } from 'vitest'
import {
  decisionRefusal,
  dueDate,
  namesIn,
  REASON_CODES,
  redactedText,
  referenceOf,
  releasedItem,
  releasedTitle,
  type ItemField,
  type Redaction,
} from './subject-access.rules.js'

const none: ReadonlySet<string> = new Set()

describe('the due date of a subject access request', () => {
  it('is the same date a calendar month after receipt', () => {
    expect(dueDate('2026-03-03', none)).toBe('2026-04-03')
  })
  it('is the last day of the next month when it has no such date', () => {
    expect(dueDate('2026-01-30', none)).toBe('2026-03-02') // 28 Feb 2026 is a Saturday: the next working day
    expect(dueDate('2027-01-31', none)).toBe('2027-03-01') // 28 Feb 2027 is a Sunday
    expect(dueDate('2028-01-31', none)).toBe('2028-02-29') // a leap year, a Tuesday
  })
  it('crosses the year, and moves off a weekend or a bank holiday to the next working day', () => {
    expect(dueDate('2026-12-15', none)).toBe('2027-01-15')
    expect(dueDate('2026-11-25')).toBe('2026-12-29') // 25 December is a Friday, 28 December the Boxing Day holiday
  })
})

describe('who may decide a release', () => {
  it('is a second person: never the one who submitted it', () => {
    expect(decisionRefusal('u1', { status: 'SUBMITTED', submittedBy: 'u1' })).toMatch(/You submitted this bundle/)
    expect(decisionRefusal('u2', { status: 'SUBMITTED', submittedBy: 'u1' })).toBeNull()
  })
  it('refuses an approver who gathered the bundle or redacted part of it by hand', () => {
    expect(decisionRefusal('u2', { status: 'SUBMITTED', submittedBy: 'u1', gatheredBy: 'u2' })).toMatch(/You gathered this bundle/)
    expect(decisionRefusal('u2', { status: 'SUBMITTED', submittedBy: 'u1', gatheredBy: 'u1' }, ['u2'])).toMatch(/You redacted part/)
    expect(decisionRefusal('u3', { status: 'SUBMITTED', submittedBy: 'u1', gatheredBy: 'u1' }, ['u2'])).toBeNull()
  })
  it('only while it waits for approval', () => {
    expect(decisionRefusal('u2', { status: 'APPROVED', submittedBy: 'u1' })).toMatch(/not waiting/)
    expect(decisionRefusal('u2', { status: 'GATHERED', submittedBy: null })).toMatch(/not waiting/)
  })
})

describe('redactions', () => {
  const fields: ItemField[] = [
    { key: 'whatHappened', label: 'What happened', value: 'Robin Quayle said Ash waited for Robin at the bus stop.' },
    { key: 'otherChildren', label: 'Other children involved', value: 'Robin Quayle, Year 7' },
    { key: 'place', label: 'Where', value: 'School' },
  ]
  const r = (x: Partial<Redaction>): Redaction => ({
    part: 'WORDS',
    fieldKey: null,
    words: null,
    reasonCode: 'THIRD_PARTY_CHILD',
    reasonText: null,
    ...x,
  })

  it('offers the five reasons, each shown as "[Redacted: reason]", the exemption named for "other"', () => {
    expect(REASON_CODES).toHaveLength(5)
    expect(redactedText({ reasonCode: 'THIRD_PARTY_CHILD', reasonText: null })).toBe('[Redacted: third party – another child]')
    expect(redactedText({ reasonCode: 'THIRD_PARTY_PUBLIC', reasonText: null })).toBe('[Redacted: third party – a member of the public]')
    expect(redactedText({ reasonCode: 'POLICE', reasonText: null })).toBe('[Redacted: withheld at the request of the police]')
    expect(redactedText({ reasonCode: 'HEALTH', reasonText: null })).toBe('[Redacted: withheld at the request of health]')
    expect(redactedText({ reasonCode: 'OTHER_EXEMPTION', reasonText: 'legal professional privilege' })).toBe(
      '[Redacted: other legal exemption – legal professional privilege]',
    )
  })

  it('withholds a whole item, a field, or words wherever they appear, longest first, never leaving the words', () => {
    expect(releasedItem(fields, [r({ part: 'ITEM' })])).toEqual({ withheld: '[Redacted: third party – another child]', fields: [] })
    const byField = releasedItem(fields, [r({ part: 'FIELD', fieldKey: 'otherChildren', reasonCode: 'POLICE' })])
    expect(byField.fields[1]).toEqual({
      label: 'Other children involved',
      value: '[Redacted: withheld at the request of the police]',
      redacted: true,
    })
    const byWords = releasedItem(fields, [r({ words: 'Robin' }), r({ words: 'Robin Quayle' })])
    expect(byWords.fields[0]!.value).toBe(
      '[Redacted: third party – another child] said Ash waited for [Redacted: third party – another child] at the bus stop.',
    )
    expect(JSON.stringify(byWords)).not.toContain('Robin')
    expect(byWords.fields[2]).toEqual({ label: 'Where', value: 'School', redacted: false })
  })

  it('finds a linked child’s full name and first names as whole words to pre-mark', () => {
    expect(namesIn(fields, { givenNames: 'Robin', familyName: 'Quayle' })).toEqual([
      { fieldKey: 'whatHappened', words: 'Robin Quayle' },
      { fieldKey: 'whatHappened', words: 'Robin' },
      { fieldKey: 'whatHappened', words: 'Quayle' },
      { fieldKey: 'otherChildren', words: 'Robin Quayle' },
      { fieldKey: 'otherChildren', words: 'Robin' },
      { fieldKey: 'otherChildren', words: 'Quayle' },
    ])
    expect(namesIn([{ key: 'x', label: 'X', value: 'Robinson' }], { givenNames: 'Robin', familyName: 'Quayle' })).toEqual([])
  })

  it('finds a name split by a line break or several spaces, and the family name alone unless the subject shares it', () => {
    const split = [{ key: 'text', label: 'Entry', value: 'Met Robin\nQuayle, then  Robin   Quayle again. The Quayle family.' }]
    expect(namesIn(split, { givenNames: 'Robin', familyName: 'Quayle' }, 'Fernley')).toEqual([
      { fieldKey: 'text', words: 'Robin Quayle' },
      { fieldKey: 'text', words: 'Robin' },
      { fieldKey: 'text', words: 'Quayle' },
    ])
    expect(namesIn(split, { givenNames: 'Robin', familyName: 'Quayle' }, 'quayle')).toEqual([
      { fieldKey: 'text', words: 'Robin Quayle' },
      { fieldKey: 'text', words: 'Robin' },
    ])
    const released = releasedItem(split, [
      { part: 'WORDS', fieldKey: 'text', words: 'Robin Quayle', reasonCode: 'THIRD_PARTY_CHILD', reasonText: null },
      { part: 'WORDS', fieldKey: 'text', words: 'Quayle', reasonCode: 'THIRD_PARTY_CHILD', reasonText: null },
    ])
    expect(released.fields[0]!.value).not.toMatch(/Robin|Quayle/)
  })

  it('heads an item with its title only when no redaction touches it', () => {
    const item = {
      title: 'Visit with Robin Quayle',
      fields: [
        { key: 'title', label: 'Title', value: 'Visit with Robin Quayle' },
        { key: 'text', label: 'Entry', value: 'Went well.' },
      ],
    }
    const words = (w: string, fieldKey: string | null = 'title'): Redaction => ({
      part: 'WORDS',
      fieldKey,
      words: w,
      reasonCode: 'THIRD_PARTY_CHILD',
      reasonText: null,
    })
    expect(releasedTitle(item, [], 'Chronology entries')).toBe('Visit with Robin Quayle')
    expect(releasedTitle(item, [words('Robin')], 'Chronology entries')).toBe('Chronology entries')
    expect(releasedTitle(item, [words('Robin', null)], 'Chronology entries')).toBe('Chronology entries')
    expect(
      releasedTitle(
        item,
        [{ part: 'FIELD', fieldKey: 'title', words: null, reasonCode: 'POLICE', reasonText: null }],
        'Chronology entries',
      ),
    ).toBe('Chronology entries')
    expect(releasedTitle(item, [{ part: 'ITEM', fieldKey: null, words: null, reasonCode: 'POLICE', reasonText: null }], 'X')).toBeNull()
    // A title made from a field (no title field of its own) is still covered when that field is redacted.
    const info = { title: 'Information from Robin’s school', fields: [{ key: 'source', label: 'From', value: 'Robin’s school' }] }
    expect(releasedTitle(info, [{ part: 'FIELD', fieldKey: 'source', words: null, reasonCode: 'POLICE', reasonText: null }], 'Info')).toBe(
      'Info',
    )
  })

  it('gives each request a reference without personal data', () => {
    expect(referenceOf(2026, 7)).toBe('SAR-2026-0007')
  })
})
