import { describe, expect, it } from 'vitest'
import { CASE_STATUSES, type CaseStatus } from '../cases/index.js'
import { requestProgress } from './referrer-view.rules.js'

describe('a request’s progress, as its referrer is told it', () => {
  it('has plain words for every status, and never names a rating, an assessment or the police', () => {
    for (const status of Object.values(CASE_STATUSES) as CaseStatus[]) {
      for (const closedAtTheFrontDoor of [true, false]) {
        const p = requestProgress(status, closedAtTheFrontDoor)
        expect(p.status.length, status).toBeGreaterThan(5)
        expect(`${p.status} ${p.meaning}`, status).not.toMatch(/\bgreen\b|\bamber\b|\bred\b|\bAIM\b|assessment|police|strategy|panel|bail/i)
      }
    }
  })

  it('is undecided at the front door, and decided once the front door has decided', () => {
    expect(requestProgress('REFERRED', false)).toMatchObject({ decided: false, status: 'Received: waiting to be screened' })
    expect(requestProgress('AWAITING_OVERSIGHT', false).decided).toBe(false)
    expect(requestProgress('GREEN_DECISION', false).decided).toBe(false)
    expect(requestProgress('EARLY_HELP', false)).toMatchObject({ decided: true, status: 'Passed to early help' })
    expect(requestProgress('AIM_ASSESSMENT', false)).toMatchObject({
      decided: true,
      status: 'Accepted: professionals are working with the child',
    })
  })

  it('tells a closure at the front door from the end of the work', () => {
    expect(requestProgress('CLOSED', true).status).toBe('Closed: no further action')
    expect(requestProgress('CLOSED', false).status).toBe('Closed: the work has ended')
  })
})
