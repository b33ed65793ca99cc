import { NO_STATUS } from './plan-import.rules.js'
import type { PreviewPage } from './plan-import.service.js'

const NO_STATUS_LABEL = 'No status (leave blank)'

/** The preview page: the figures, the RAG words as written and as mapped, the row problems, and the mapping form. */
export function presentPreview(page: PreviewPage) {
  const { summary, ragKey } = page
  const labelOf = (key: string) =>
    key === NO_STATUS ? NO_STATUS_LABEL : key === 'UNMAPPED' ? 'Not mapped yet' : (ragKey.find((e) => e.key === key)?.label ?? key)
  const errors = page.summary.problems.filter((p) => p.severity === 'error')
  const warnings = page.summary.problems.filter((p) => p.severity === 'warning')
  return {
    pageTitle: `Check the action plan – ${page.review.name}`,
    review: page.review,
    uploadId: page.uploadId,
    file: summary.file,
    counts: [
      { key: { text: 'Findings' }, value: { text: String(summary.counts.findings) } },
      { key: { text: 'Questions or recommendations' }, value: { text: String(summary.counts.questions) } },
      { key: { text: 'Agencies' }, value: { text: String(summary.counts.agencies) } },
      { key: { text: 'Actions' }, value: { text: String(summary.counts.actions) } },
    ],
    ragWritten: Object.entries(summary.ragAsWritten).map(([word, count]) => [
      { text: word || '(blank)' },
      { text: String(count), format: 'numeric' },
    ]),
    ragMapped: Object.entries(summary.ragAsMapped).map(([key, count]) => [
      { text: labelOf(key) },
      { text: String(count), format: 'numeric' },
    ]),
    rowErrors: errors,
    rowWarnings: warnings,
    canConfirm: page.canConfirm,
    unknownWords: page.unknownWords.map((u) => ({
      id: u.field,
      name: u.field,
      label: { text: `“${u.asWritten}” (row${u.rows.length === 1 ? '' : 's'} ${u.rows.join(', ')})`, classes: 'govuk-label--s' },
      errorMessage: page.errors.find((e) => e.href === `#${u.field}`) ? { text: `Choose what “${u.asWritten}” means` } : undefined,
      items: [
        { value: '', text: 'Choose a status', selected: !u.selected },
        ...ragKey.map((e) => ({ value: e.key, text: `${e.label} – ${e.meaning}`, selected: u.selected === e.key })),
        { value: NO_STATUS, text: NO_STATUS_LABEL, selected: u.selected === NO_STATUS },
      ],
    })),
    errors: page.errors,
  }
}
