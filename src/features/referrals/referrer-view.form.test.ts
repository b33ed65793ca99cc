import { describe, expect, it } from 'vitest'
import { readShareForm } from './referrer-view.form.js'

const KEY = '7b0c3a52-5f0e-4a57-9d0b-0f5e1c1d2a3b'

describe('the share-back form', () => {
  it('reads what it is about and the words, trimmed, with the form’s key', () => {
    expect(readShareForm({ key: KEY, title: ' Safety plan ', body: ' Keep Sam and Alex apart at break. ' })).toEqual({
      ok: true,
      value: { title: 'Safety plan', body: 'Keep Sam and Alex apart at break.', key: KEY },
    })
  })

  it('says what is missing beside each field', () => {
    expect(readShareForm({ key: KEY, title: '  ', body: '' })).toEqual({
      ok: false,
      incomplete: false,
      errors: [
        { href: '#title', text: 'Enter what the update is about' },
        { href: '#body', text: 'Enter what you want to tell the referrer' },
      ],
    })
  })

  it('refuses words longer than the limits', () => {
    const r = readShareForm({ key: KEY, title: 'x'.repeat(121), body: 'y'.repeat(5001) })
    expect(r.ok ? [] : r.errors.map((e) => e.text)).toEqual([
      'What the update is about must be 120 characters or fewer',
      'The update must be 5000 characters or fewer',
    ])
  })

  it('is incomplete without its key (a stale or altered page)', () => {
    expect(readShareForm({ title: 'Safety plan', body: 'Words' })).toEqual({ ok: false, errors: [], incomplete: true })
    expect(readShareForm({ key: 'not-a-key', title: 'Safety plan', body: 'Words' })).toMatchObject({ incomplete: true })
  })
})
