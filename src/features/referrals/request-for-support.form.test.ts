import { describe, expect, it } from 'vitest'
import { checkReceivedAgainstBirth, parseRequestForSupport } from './request-for-support.form.js'

const NOW = new Date('2026-07-15T12:00:00Z') // 1pm in London (BST)
const KEY = '0b5e4f0e-7d3c-4a39-9f0e-2f3d5c1a9b7e'
const valid = {
  'received-day': '15',
  'received-month': '7',
  'received-year': '2026',
  'received-time': '09:30',
  'what-happened': '  Seen touching another child at lunch.  ',
  contexts: ['SCHOOL', 'ONLINE'],
  'other-children': '',
  'sharing-basis': 'SAFEGUARDING_WITHOUT_CONSENT',
  'consent-sought': 'no',
  'sharing-note': 'Parent not told yet: risk to the child.',
  'open-case': 'no',
  'idempotency-key': KEY,
}
const errorsOf = (body: Record<string, unknown>) => {
  const r = parseRequestForSupport(body, NOW)
  return r.ok ? [] : r.errors.map((e) => `${e.href} ${e.text}`)
}

describe('parseRequestForSupport', () => {
  it('turns a good form into a command, the time read on a UK clock', () => {
    const r = parseRequestForSupport(valid, NOW)
    expect(r).toEqual({
      ok: true,
      value: {
        receivedAt: new Date('2026-07-15T08:30:00Z'),
        receivedOn: '2026-07-15',
        whatHappened: 'Seen touching another child at lunch.',
        contexts: ['SCHOOL', 'ONLINE'],
        otherChildren: null,
        sharingBasis: 'SAFEGUARDING_WITHOUT_CONSENT',
        consentSought: false,
        sharingNote: 'Parent not told yet: risk to the child.',
        route: 'NEW',
        idempotencyKey: KEY,
      },
    })
  })

  it('one context ticked arrives as a string; yes to "already open" is the open-case route', () => {
    const r = parseRequestForSupport({ ...valid, contexts: 'HOME', 'open-case': 'yes' }, NOW)
    expect(r.ok && r.value.contexts).toEqual(['HOME'])
    expect(r.ok && r.value.route).toBe('OPEN_CASE')
  })

  const cases: { name: string; change: Record<string, unknown>; expected: string[] }[] = [
    {
      name: 'a date in the future',
      change: { 'received-day': '16' },
      expected: ['#received-day Date received must be today or in the past'],
    },
    { name: 'later today', change: { 'received-time': '13:01' }, expected: ['#received-time Time received must be now or in the past'] },
    {
      name: 'not a real date',
      change: { 'received-day': '31', 'received-month': '6' },
      expected: ['#received-day Date received must be a real date'],
    },
    {
      name: 'no date',
      change: { 'received-day': '', 'received-month': '', 'received-year': '' },
      expected: ['#received-day Enter the date received'],
    },
    { name: 'no time', change: { 'received-time': ' ' }, expected: ['#received-time Enter the time the request was received'] },
    {
      name: 'a time that is not one',
      change: { 'received-time': '9am' },
      expected: ['#received-time Enter the time in the 24-hour clock, for example 14:30'],
    },
    {
      name: 'nothing about what happened',
      change: { 'what-happened': '  ' },
      expected: ['#what-happened Enter what happened, in the words of the person who raised the concern'],
    },
    { name: 'an unknown context', change: { contexts: ['PARK'] }, expected: ['#contexts Select where it happened from the list'] },
    { name: 'no basis', change: { 'sharing-basis': '' }, expected: ['#sharing-basis Select the basis for sharing information'] },
    { name: 'consent not answered', change: { 'consent-sought': '' }, expected: ['#consent-sought Select whether consent was sought'] },
    {
      name: 'consent as the basis without seeking it',
      change: { 'sharing-basis': 'CONSENT' },
      expected: ['#consent-sought If consent was not sought, choose a basis for sharing without consent'],
    },
    {
      name: 'route not answered',
      change: { 'open-case': undefined },
      expected: [
        '#open-case Select whether the child is already open to children’s social care, the youth offending service or leaving care',
      ],
    },
    {
      name: 'everything missing, in page order',
      change: { 'received-time': '', 'what-happened': '', 'sharing-basis': '', 'consent-sought': '', 'open-case': '' },
      expected: ['#received-time', '#what-happened', '#sharing-basis', '#consent-sought', '#open-case'],
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const errors = errorsOf({ ...valid, ...c.change })
      if (c.expected.every((e) => e.includes(' '))) expect(errors).toEqual(c.expected)
      else expect(errors.map((e) => e.split(' ')[0])).toEqual(c.expected)
    })
  }

  it('a missing or mangled submit key is an incomplete form, not a field error', () => {
    for (const key of [undefined, '', 'not-a-key', `${KEY}x`]) {
      const r = parseRequestForSupport({ ...valid, 'idempotency-key': key }, NOW)
      expect(r).toMatchObject({ ok: false, incomplete: true })
    }
  })

  it('refuses a date received before the child was born', () => {
    const r = parseRequestForSupport(valid, NOW)
    if (!r.ok) throw new Error('expected a command')
    expect(checkReceivedAgainstBirth(r.value, '2026-07-16')).toEqual([
      { href: '#received-day', text: 'Date received must be on or after the child’s date of birth' },
    ])
    expect(checkReceivedAgainstBirth(r.value, '2026-07-15')).toEqual([])
  })
})
