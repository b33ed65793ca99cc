import { formatDate, formatDateTime } from '../../platform/http/format.js'
import type { AccessHistoryView, ChildView } from './children.service.js'

const ACTION_LABELS: Record<string, string> = {
  'child:read': 'Opened the record',
  'child:view-record-history': 'Viewed who has seen the record',
}

export function presentChild({ child, involvements }: ChildView) {
  const name = `${child.givenNames} ${child.familyName}`
  return {
    pageTitle: `${name} – child record`,
    childId: child.id,
    name,
    dateOfBirth: formatDate(child.dateOfBirth),
    isRestricted: child.isRestricted,
    involvementRows: involvements.map((i) => [
      { text: i.agencyName },
      { text: i.teamName ?? '' },
      { text: i.userDisplayName ?? '' },
      { text: i.kind === 'ALLOCATED' ? 'Allocated' : 'Involved' },
    ]),
  }
}

export function presentAccessHistory({ child, entries, total }: AccessHistoryView) {
  return {
    pageTitle: 'Who has seen or changed this record',
    childId: child.id,
    name: `${child.givenNames} ${child.familyName}`,
    total,
    shown: entries.length,
    rows: entries.map((e) => [
      { text: formatDateTime(e.occurredAt) },
      { text: e.displayName ?? 'Unknown' },
      { text: e.agencyName ?? '' },
      { text: ACTION_LABELS[e.action] ?? e.action },
      { html: e.outcome === 'ALLOWED' ? '<strong class="govuk-tag govuk-tag--green">Allowed</strong>' : '<strong class="govuk-tag govuk-tag--red">Denied</strong>' },
    ]),
  }
}
