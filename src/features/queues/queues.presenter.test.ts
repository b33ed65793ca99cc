import { describe, expect, it } from 'vitest'
import type { NotificationRow } from './notifications.repository.js'
import { presentNotifications } from './queues.presenter.js'

const row = (meetingKind: string | null): NotificationRow => ({
  id: 'n1',
  kind: 'MEETING_INVITATION',
  caseId: 'c1',
  meetingId: 'm1',
  meetingKind,
  childId: 'k1',
  childName: 'Fictional Child',
  canReadCase: false,
  createdAt: new Date('2026-11-20T10:00:00Z'),
  readAt: null,
})

describe('notification links', () => {
  it('sends an invitation to the page of its own kind of meeting', () => {
    const hrefs = ['STRATEGY_MEETING', 'REVIEW_STRATEGY_MEETING', 'END_MEETING'].map(
      (kind) => presentNotifications({ rows: [row(kind)], total: 1, unread: 1, page: 1, pageSize: 20 }).notifications[0]!.href,
    )
    expect(hrefs).toEqual(['/cases/c1/strategy-meeting', '/cases/c1/review-meeting', '/cases/c1/end-meeting'])
  })

  it('sends a notice about a case to the thing it is about, for someone who may open the case; else nowhere', () => {
    const href = (kind: NotificationRow['kind'], canReadCase = true) =>
      presentNotifications({ rows: [{ ...row(null), kind, canReadCase }], total: 1, unread: 1, page: 1, pageSize: 20 }).notifications[0]!
        .href
    expect(
      (['STRATEGY_MEETING_OVERDUE', 'AIM_ASSESSMENT_DUE', 'HSB_PANEL_REQUESTED', 'ABE_ACCESS_REQUESTED'] as const).map((k) => href(k)),
    ).toEqual(['/cases/c1/strategy-meeting', '/cases/c1/assessment', '/cases/c1/panel', '/cases/c1/restricted-material'])
    expect(href('STRATEGY_MEETING_OVERDUE', false)).toBeNull()
  })
})
