import { describe, expect, it } from 'vitest'
import {
  grantExpiry,
  hasActiveGrant,
  mayDecide,
  requestState,
  validateDecision,
  validateMaterial,
  validateReason,
} from './restricted-material.rules.js'

const DAY = 86_400_000
const now = new Date('2026-03-01T12:00:00Z')

describe('ABE access decisions', () => {
  it('approves for 14 days by default, at most 90, and refuses only with a reason', () => {
    expect(validateDecision({ decision: 'APPROVE', days: '', note: '' })).toEqual({
      ok: true,
      value: { approve: true, days: 14, note: null },
    })
    expect(validateDecision({ decision: 'APPROVE', days: '90', note: '' })).toMatchObject({ ok: true, value: { days: 90 } })
    expect(validateDecision({ decision: 'APPROVE', days: '91', note: '' })).toMatchObject({ ok: false, errors: [{ href: '#days' }] })
    expect(validateDecision({ decision: 'APPROVE', days: '0', note: '' }).ok).toBe(false)
    expect(validateDecision({ decision: 'APPROVE', days: '2.5', note: '' }).ok).toBe(false)
    expect(validateDecision({ decision: 'REFUSE', days: '', note: ' ' })).toMatchObject({ ok: false, errors: [{ href: '#note' }] })
    expect(validateDecision({ decision: 'REFUSE', days: '', note: 'Not needed' })).toEqual({
      ok: true,
      value: { approve: false, note: 'Not needed' },
    })
    expect(validateDecision({ decision: '', days: '', note: '' })).toMatchObject({ ok: false, errors: [{ href: '#decision' }] })
  })

  it('never lets the requester decide their own request', () => {
    expect(mayDecide('u1', { requestedBy: 'u1' })).toBe(false)
    expect(mayDecide('u2', { requestedBy: 'u1' })).toBe(true)
  })

  it('a grant is in force only while approved and unexpired, for the person who asked', () => {
    const approved = { requestedBy: 'u1', status: 'APPROVED' as const, expiresAt: grantExpiry(now, 14) }
    expect(approved.expiresAt.getTime() - now.getTime()).toBe(14 * DAY)
    expect(requestState(approved, now)).toBe('ACTIVE')
    expect(requestState(approved, new Date(now.getTime() + 14 * DAY))).toBe('EXPIRED')
    expect(hasActiveGrant([approved], 'u1', now)).toBe(true)
    expect(hasActiveGrant([approved], 'u2', now)).toBe(false)
    expect(hasActiveGrant([approved], 'u1', new Date(now.getTime() + 15 * DAY))).toBe(false)
    expect(hasActiveGrant([{ ...approved, status: 'REVOKED' }], 'u1', now)).toBe(false)
    expect(hasActiveGrant([{ ...approved, status: 'PENDING', expiresAt: null }], 'u1', now)).toBe(false)
  })

  it('needs a reason to ask', () => {
    expect(validateReason('  ').ok).toBe(false)
    expect(validateReason(' To plan the work ')).toEqual({ ok: true, value: 'To plan the work' })
  })
})

describe('recording ABE material', () => {
  const facts = { today: '2026-03-01', harmedChildIds: ['c1'], agencyIds: ['a1'] }
  const good = {
    harmedChildId: 'c1',
    reference: 'ABE/1',
    interviewed: { day: '1', month: '2', year: '2026' },
    heldByAgencyId: 'a1',
    summary: '',
  }
  it('checks the harmed child, reference, a real past date and the holding agency', () => {
    expect(validateMaterial(good, facts)).toEqual({
      ok: true,
      value: { harmedChildId: 'c1', reference: 'ABE/1', interviewedOn: '2026-02-01', heldByAgencyId: 'a1', summary: null },
    })
    const bad = validateMaterial(
      { harmedChildId: 'c9', reference: '', interviewed: { day: '2', month: '3', year: '2026' }, heldByAgencyId: 'zz', summary: '' },
      facts,
    )
    expect(bad.ok ? [] : bad.errors.map((e) => e.href)).toEqual(['#harmed-child', '#reference', '#interviewed-day', '#held-by'])
  })
})
