import type { ClockState } from './clocks.rules.js'

/** Each clock state as a GOV.UK tag (its words and colour), the same on the case page and in the queues. */
export const CLOCK_STATE_TAGS: Readonly<Record<ClockState, { text: string; classes: string }>> = {
  RUNNING: { text: 'Running', classes: 'govuk-tag--blue' },
  DUE_SOON: { text: 'Due soon', classes: 'govuk-tag--yellow' },
  OVERDUE: { text: 'Overdue', classes: 'govuk-tag--red' },
  MET: { text: 'Met', classes: 'govuk-tag--green' },
  MET_LATE: { text: 'Met late', classes: 'govuk-tag--orange' },
  STOPPED: { text: 'Stopped', classes: 'govuk-tag--grey' },
}
