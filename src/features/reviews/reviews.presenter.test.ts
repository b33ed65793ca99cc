import { describe, expect, it } from 'vitest'
import { historyModel, recordedText } from './reviews.presenter.js'
import type { VersionRow } from './reviews.repository.js'
import { DEFAULT_RAG_KEY } from './reviews.rules.js'

const version = (over: Partial<VersionRow>): VersionRow => ({
  id: '1',
  version: 1,
  change: 'CREATED',
  progressNote: null,
  ragFrom: null,
  occurredAt: new Date('2025-01-10T11:00:00Z'),
  recordedAt: new Date('2025-01-10T11:00:00Z'),
  lateReason: null,
  recordedByName: 'Ben Carter',
  text: 'Review the early help offer',
  rag: 'RED',
  constraints: null,
  targetDate: null,
  targetText: null,
  evidence: null,
  leadUserId: null,
  leadText: null,
  desiredOutcome: null,
  ...over,
})

describe('an action’s history', () => {
  const backDated = version({
    id: '2',
    version: 2,
    change: 'PROGRESS',
    progressNote: 'Offer mapped',
    ragFrom: 'RED',
    rag: 'AMBER',
    occurredAt: new Date('2025-03-01T14:00:00Z'),
    recordedAt: new Date('2025-03-20T09:15:00Z'),
    lateReason: 'the minutes arrived by post',
  })

  it('dates each change by when it happened and, when entered later, says when it was recorded and why', () => {
    const [progress, added] = historyModel(DEFAULT_RAG_KEY, [backDated, version({})])
    expect(progress).toMatchObject({ label: 'Progress update', at: backDated.occurredAt, note: 'Offer mapped', ragChanged: true })
    expect(progress!.recorded).toBe('Recorded 20 March 2025, 9:15am: entered late because the minutes arrived by post.')
    expect(added).toMatchObject({ label: 'Action added', recorded: '' })
  })

  it('shows one time when recorded as it happened, and a late reason on its own when the times are close', () => {
    expect(recordedText(version({ recordedAt: new Date('2025-01-10T11:04:00Z') }))).toBe('')
    expect(recordedText(version({ recordedAt: new Date('2025-01-10T12:00:00Z') }))).toBe('Recorded 10 January 2025, 12:00pm.')
    expect(recordedText(version({ lateReason: 'a reason' }))).toBe('Entered late because a reason.')
  })
})
