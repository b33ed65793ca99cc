import type { FieldError } from '../../platform/forms/forms.js'
import { formatDateTime } from '../../platform/http/format.js'
import type { CatalogueSummaryRow } from './catalogue.repository.js'
import type { CatalogueCounts } from './catalogue.service.js'
import type { CatalogueError } from './catalogue.rules.js'
import { BROOK_TOOLS, isBrookToolVersion, isRating, ratingLabel } from './screening.rules.js'

const SHOWN_ERRORS = 25

/** Row errors as field errors on the textarea; a long list is cut short with a count of the rest. */
export function catalogueErrors(errors: CatalogueError[]): FieldError[] {
  const shown = errors.slice(0, SHOWN_ERRORS).map((e) => ({ href: '#catalogue', text: e.message }))
  const more = errors.length - shown.length
  return more > 0 ? [...shown, { href: '#catalogue', text: `And ${more} more rows with problems` }] : shown
}

export function loadedMessage(counts: CatalogueCounts) {
  const versions = counts.versions.map((v) => (isBrookToolVersion(v) ? BROOK_TOOLS[v].label : v)).join(' and ')
  return { heading: 'Catalogue loaded', text: `${counts.loaded} behaviours loaded for the ${versions}, replacing ${counts.replaced}.` }
}

export function presentCatalogue(summary: CatalogueSummaryRow[], values: { catalogue?: string } = {}, errors?: FieldError[]) {
  const last = summary.reduce<Date | null>((a, r) => (a === null || r.loadedAt > a ? r.loadedAt : a), null)
  return {
    pageTitle: 'Screening behaviour catalogue',
    values,
    errors,
    lastLoaded: last ? formatDateTime(last) : null,
    summaryRows: summary.map((r) => {
      const v = isBrookToolVersion(r.toolVersion) ? r.toolVersion : null
      return [
        { text: v ? BROOK_TOOLS[v].label : r.toolVersion },
        { text: (v && BROOK_TOOLS[v].bands.find((b) => b.key === r.ageBand)?.label) ?? r.ageBand },
        { text: v && isRating(r.rating) ? ratingLabel(r.rating, v) : r.rating },
        { text: String(r.count), format: 'numeric' },
      ]
    }),
  }
}
