import { describe, expect, it } from 'vitest'
import { isSharingBasis } from './referral.rules.js'

describe('isSharingBasis', () => {
  it('knows the three bases and nothing else', () => {
    expect(['CONSENT', 'PUBLIC_TASK_WITHOUT_CONSENT', 'SAFEGUARDING_WITHOUT_CONSENT'].every(isSharingBasis)).toBe(true)
    expect(isSharingBasis('consent')).toBe(false)
    expect(isSharingBasis('toString')).toBe(false)
    expect(isSharingBasis(undefined)).toBe(false)
  })
})
