import { describe, expect, it } from 'vitest'
import { isActiveOn, validateProvision } from './provision.rules.js'

const input = {
  service: 'Group work',
  provider: 'Brightpath',
  levels: ['MEDIUM'],
  capacity: '',
  notes: '',
  endedOn: { day: '', month: '', year: '' },
}

describe('provision rules', () => {
  it('accepts an entry with optional capacity, notes and end date left empty', () => {
    expect(validateProvision(input)).toEqual({
      ok: true,
      value: { service: 'Group work', provider: 'Brightpath', levels: ['MEDIUM'], capacity: null, notes: null, endedOn: null },
    })
  })

  it('names each problem against its field', () => {
    const r = validateProvision({
      service: ' ',
      provider: '',
      levels: [],
      capacity: '1.5',
      notes: 'x'.repeat(2001),
      endedOn: { day: '30', month: '2', year: '2027' },
    })
    expect(r.ok ? [] : r.errors.map((e) => e.href)).toEqual(['#service', '#provider', '#levels', '#capacity', '#notes', '#ended-day'])
    const odd = validateProvision({ ...input, levels: ['SEVERE'] })
    expect(odd.ok ? '' : odd.errors[0]!.text).toBe('Select levels of concern from the list')
  })

  it('keeps levels in order and reads the end date', () => {
    const r = validateProvision({ ...input, levels: ['HIGH', 'LOW'], capacity: '12', endedOn: { day: '1', month: '4', year: '2027' } })
    expect(r.ok && r.value).toMatchObject({ levels: ['LOW', 'HIGH'], capacity: 12, endedOn: '2027-04-01' })
  })

  it('counts an entry as available until the day it ended', () => {
    expect(isActiveOn(null, '2026-01-01')).toBe(true)
    expect(isActiveOn('2026-01-02', '2026-01-01')).toBe(true)
    expect(isActiveOn('2026-01-01', '2026-01-01')).toBe(false)
  })
})
