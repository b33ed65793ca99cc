import { describe, expect, it } from 'vitest'
import { actionNumber, boardDate, isOverdue, reviewReportLink, validateAction, validateMeeting, validateProgress } from './board.rules.js'

describe('board rules', () => {
  it('numbers actions BA-001 onwards', () => {
    expect(actionNumber(1)).toBe('BA-001')
    expect(actionNumber(42)).toBe('BA-042')
    expect(actionNumber(1000)).toBe('BA-1000')
  })

  it('flags an action overdue when its due date has passed and it is not done', () => {
    expect(isOverdue({ dueOn: '2026-03-09', status: 'OPEN' }, '2026-03-10')).toBe(true)
    expect(isOverdue({ dueOn: '2026-03-09', status: 'IN_PROGRESS' }, '2026-03-10')).toBe(true)
    expect(isOverdue({ dueOn: '2026-03-10', status: 'OPEN' }, '2026-03-10')).toBe(false)
    expect(isOverdue({ dueOn: '2026-03-09', status: 'DONE' }, '2026-03-10')).toBe(false)
    expect(isOverdue({ dueOn: null, status: 'OPEN' }, '2026-03-10')).toBe(false)
  })

  it('reads GOV.UK date inputs', () => {
    expect(boardDate({ day: '7', month: '3', year: '2026' }, 'Date')).toEqual({ ok: true, value: '2026-03-07' })
    expect(boardDate({ day: '', month: '', year: '' }, 'Date')).toEqual({ ok: true, value: null })
    expect(boardDate({ day: '30', month: '2', year: '2026' }, 'Date').ok).toBe(false)
    expect(boardDate({ day: '1', month: '1', year: '26' }, 'Date').ok).toBe(false)
  })

  it('needs a meeting title and date', () => {
    expect(validateMeeting({ title: ' Board ', date: { day: '1', month: '4', year: '2026' } })).toEqual({
      ok: true,
      value: { title: 'Board', meetingDate: '2026-04-01' },
    })
    const bad = validateMeeting({ title: '', date: { day: '', month: '', year: '' } })
    expect(bad.ok ? [] : bad.errors.map((e) => e.href)).toEqual(['#date-day', '#title'])
  })

  it('needs an action’s owner, a person here or named in words, and only known people and items', () => {
    const options = { userIds: ['u1'], agendaItemIds: ['i1'] }
    const base = { text: 'Do it', ownerUserId: '', ownerText: '', due: { day: '', month: '', year: '' }, agendaItemId: '' }
    expect(validateAction(base, options).ok).toBe(false)
    expect(validateAction({ ...base, ownerText: 'Chair' }, options)).toEqual({
      ok: true,
      value: { text: 'Do it', ownerUserId: null, ownerText: 'Chair', dueOn: null, agendaItemId: null },
    })
    expect(validateAction({ ...base, ownerUserId: 'u1', ownerText: 'ignored', agendaItemId: 'i1' }, options)).toMatchObject({
      ok: true,
      value: { ownerUserId: 'u1', ownerText: null, agendaItemId: 'i1' },
    })
    expect(validateAction({ ...base, ownerUserId: 'someone-else' }, options).ok).toBe(false)
    expect(validateAction({ ...base, ownerText: 'Chair', agendaItemId: 'other' }, options).ok).toBe(false)
  })

  it('needs a status and a note for progress', () => {
    expect(validateProgress({ status: 'DONE', note: ' Finished ' })).toEqual({ ok: true, value: { status: 'DONE', note: 'Finished' } })
    expect(validateProgress({ status: 'CLOSED', note: '' }).ok).toBe(false)
  })

  it('links an agenda item to the review’s report as at the meeting date', () => {
    expect(reviewReportLink('r1', '2026-03-10')).toBe('/reviews/r1/report?asAt=2026-03-10')
  })
})
