import { CASE_STATUSES, isOpen, STATUS_LABELS, type CaseStatus } from '../cases/index.js'
import { OUTCOMES } from '../meetings/index.js'
import type { Figure, FigureColumn, FigureRow } from './insight.figures.js'
import { AGE_BANDS, RATINGS } from './insight.query.js'

/**
 * What each dashboard figure shows: its title, rows, columns and whether its cells link to the
 * cases behind them. The counting is in dashboard.sql.ts; this file turns counts into Figures.
 */

export type Count = { rowKey: string; colKey: string; n: number; median: number | null; label: string | null }

type RowSpec = { key: string; label: string }
/** A figure before it is counted. */
export type FigureSpec = Omit<Figure, 'rows'> & {
  /** Fixed rows, in order; null when the rows come from the data (agencies, providers). */
  rows: RowSpec[] | null
  /** 'period': counts things that happened in the period; 'as-at': a snapshot at the as-at date. */
  basis: 'period' | 'as-at'
  /** Shown on its own page rather than the dashboard (its cases can still be listed from there). */
  elsewhere?: true
}

const count = (key: string, label: string): FigureColumn => ({ key, label, kind: 'count' })
const share = (key: string, label: string, numerator: string, denominator: string): FigureColumn => ({
  key,
  label,
  kind: 'share',
  of: { numerator, denominator },
})

const RATING_ROWS: RowSpec[] = [...RATINGS.map((r) => ({ key: r.value, label: r.label })), { key: 'NONE', label: 'Not yet rated' }]
const AGE_ROWS: RowSpec[] = [...AGE_BANDS.map((b) => ({ key: b.value, label: b.label })), { key: 'NONE', label: 'Age not known' }]
const LEVEL_ROWS: RowSpec[] = [
  { key: 'LOW', label: 'Low' },
  { key: 'MEDIUM', label: 'Medium' },
  { key: 'HIGH', label: 'High' },
  { key: 'NOT_RECORDED', label: 'Not recorded' },
]
/** The stages of an open case, in the pathway's order. */
const STAGES = (Object.values(CASE_STATUSES) as CaseStatus[]).filter(isOpen)
const STAGE_ROWS: RowSpec[] = STAGES.map((s) => ({ key: s, label: STATUS_LABELS[s] }))

export const FIGURE_SPECS: FigureSpec[] = [
  {
    id: 'referrals-by-rating',
    title: 'Requests for support by screening rating',
    description: 'Requests for support received in the period, by the rating a manager confirmed at oversight.',
    rowHeading: 'Rating',
    columns: [count('referrals', 'Requests for support')],
    rows: RATING_ROWS,
    totalRow: true,
    drillable: true,
    basis: 'period',
  },
  {
    id: 'referrals-by-agency',
    title: 'Requests for support by referring agency',
    description: 'Requests for support received in the period, by the agency that made them.',
    rowHeading: 'Agency',
    columns: [count('referrals', 'Requests for support')],
    rows: null,
    totalRow: true,
    drillable: true,
    basis: 'period',
  },
  {
    id: 'referrals-by-age',
    title: 'Requests for support by age',
    description: 'Requests for support received in the period, by the child’s age on the day it was received.',
    rowHeading: 'Age',
    columns: [count('referrals', 'Requests for support')],
    rows: AGE_ROWS,
    totalRow: true,
    drillable: true,
    basis: 'period',
  },
  {
    id: 'strategy-meetings',
    title: 'Strategy meetings and discussions, and the 24-hour timescale',
    description:
      'Strategy meetings and strategy discussions held in the period (minutes finalised), each counted under its own heading, by the case’s rating. The 24-hour timescale counts every strategy meeting that fell due in the period, 24 hours after the concern was confirmed: held within 24 hours means held by then; one held late, not held, or not held before the case closed counts as not within 24 hours. One not yet due is shown as still running, not counted; one whose case closed before it fell due is left out.',
    rowHeading: 'Rating',
    columns: [
      count('held', 'Strategy meetings held'),
      count('discussions', 'Strategy discussions held'),
      count('due', 'Due in the period (24 hours after the concern was confirmed)'),
      count('within-24-hours', 'Held within 24 hours'),
      share('share-24-hours', 'Share held within 24 hours', 'within-24-hours', 'due'),
      count('running', 'Not yet due (still running)'),
    ],
    rows: RATING_ROWS,
    totalRow: true,
    drillable: true,
    basis: 'period',
  },
  {
    id: 'meeting-outcomes',
    title: 'Strategy meeting and discussion outcomes',
    description:
      'The outcomes recorded at strategy meetings and strategy discussions held in the period, each counted under its own heading. A meeting can record more than one outcome, so there is no total.',
    rowHeading: 'Outcome',
    columns: [count('meetings', 'Strategy meetings'), count('discussions', 'Strategy discussions')],
    rows: Object.entries(OUTCOMES).map(([key, label]) => ({ key, label })),
    totalRow: false,
    drillable: true,
    basis: 'period',
  },
  {
    id: 'aim-assessments',
    title: 'AIM assessments started and completed',
    description:
      'AIM assessments started or completed in the period, by route. Within 6 and 8 weeks: completed no later than 6 or 8 weeks after the assessment started (court extensions are not taken off).',
    rowHeading: 'Route',
    columns: [
      count('started', 'Started'),
      count('completed', 'Completed'),
      count('within-6-weeks', 'Completed within 6 weeks'),
      share('share-6-weeks', 'Share within 6 weeks', 'within-6-weeks', 'completed'),
      count('within-8-weeks', 'Completed within 8 weeks'),
      share('share-8-weeks', 'Share within 8 weeks', 'within-8-weeks', 'completed'),
    ],
    rows: [
      { key: 'WELFARE', label: 'Welfare route' },
      { key: 'CRIMINAL', label: 'Criminal route' },
    ],
    totalRow: true,
    drillable: true,
    basis: 'period',
  },
  {
    id: 'interventions',
    title: 'Interventions by provider and level of concern',
    description:
      'Children whose intervention plan was agreed, or whose HSB panel commissioned a service, in the period: by provider and the level of concern in their AIM assessment. A child with two providers is counted under each.',
    rowHeading: 'Provider',
    columns: LEVEL_ROWS.map((l) => count(l.key, l.label)),
    rows: null,
    totalRow: false,
    drillable: true,
    categoryColumns: true,
    basis: 'period',
  },
  {
    id: 'stage-durations',
    title: 'Time spent at each stage of the pathway',
    description:
      'For each stage a case left in the period: how many times, and the median number of days it spent there, from when each step happened (not when it was entered).',
    rowHeading: 'Stage',
    columns: [
      count('cases', 'Cases leaving the stage'),
      { key: 'median-days', label: 'Median days at the stage', kind: 'days', basis: 'cases' },
    ],
    rows: STAGE_ROWS,
    totalRow: false,
    drillable: true,
    basis: 'period',
  },
  {
    id: 're-referrals',
    title: 'Re-referrals within 12 months',
    description: 'Requests for support received in the period about a child who had been referred in the 12 months before, by age.',
    rowHeading: 'Age',
    columns: [
      count('referrals', 'Requests for support'),
      count('re-referrals', 'Re-referrals within 12 months'),
      share('share-re-referrals', 'Share re-referred', 're-referrals', 'referrals'),
    ],
    rows: AGE_ROWS,
    totalRow: true,
    drillable: true,
    basis: 'period',
  },
  {
    id: 'open-cases-by-stage',
    title: 'Open cases by stage',
    description: 'Cases open at the end of the as-at date, by the stage they had reached.',
    rowHeading: 'Stage',
    columns: [count('open', 'Open cases')],
    rows: STAGE_ROWS,
    totalRow: true,
    drillable: true,
    basis: 'as-at',
  },
  {
    id: 'waiting-for-provision',
    title: 'Children waiting for provision, against the provision register',
    description:
      'Children at the end of the as-at date whose AIM assessment is signed off and who wait for a review meeting or the HSB panel, by level of concern; beside them, the services on the provision register for that level and their places.',
    rowHeading: 'Level of concern',
    columns: [
      count('waiting', 'Children waiting'),
      { key: 'services', label: 'Services on the register', kind: 'capacity' },
      { key: 'places', label: 'Places', kind: 'capacity' },
    ],
    rows: LEVEL_ROWS,
    totalRow: true,
    drillable: true,
    basis: 'as-at',
  },
]

/** Case factors (insight/case-factors.*): counted from the same facts, so its cases can be listed. */
FIGURE_SPECS.push({
  id: 'case-factors',
  title: 'Children with each recorded factor',
  description:
    'Children with a request for support received in the period, with each factor recorded on their case by the end of the as-at date.',
  rowHeading: 'Factor',
  columns: [
    count('with', 'Children with the factor'),
    count('without', 'Children without it recorded'),
    count('total', 'Children in the cohort'),
  ],
  rows: null,
  totalRow: false,
  drillable: true,
  categoryColumns: true,
  basis: 'period',
  elsewhere: true,
})

export const figureSpec = (id: string): FigureSpec | undefined => FIGURE_SPECS.find((f) => f.id === id)

/** Builds a Figure from the counts of its facts (and, for capacity columns, extra values by row). */
export function buildFigure(spec: FigureSpec, counts: readonly Count[], extra: Record<string, Record<string, number | null>> = {}): Figure {
  const byCell = new Map(counts.map((c) => [`${c.rowKey}\u0001${c.colKey}`, c]))
  let rows: RowSpec[]
  if (spec.rows) {
    // Fixed rows, plus any unexpected key in the data (never drop a count silently).
    const known = new Set(spec.rows.map((r) => r.key))
    const extraRows = [...new Set(counts.map((c) => c.rowKey))].filter((k) => !known.has(k)).map((k) => ({ key: k, label: k }))
    rows = [...spec.rows, ...extraRows]
  } else {
    const labels = new Map<string, string>()
    for (const c of counts) if (!labels.has(c.rowKey)) labels.set(c.rowKey, c.label ?? (c.rowKey === 'NONE' ? 'Not recorded' : c.rowKey))
    rows = [...labels.entries()].map(([key, label]) => ({ key, label })).sort((a, b) => a.label.localeCompare(b.label, 'en-GB'))
  }
  const figureRows: FigureRow[] = rows.map((row) => ({
    key: row.key,
    label: row.label,
    values: spec.columns.map((col) => {
      if (col.kind === 'count') return byCell.get(`${row.key}\u0001${col.key}`)?.n ?? 0
      if (col.kind === 'days') return byCell.get(`${row.key}\u0001${col.key}`)?.median ?? null
      if (col.kind === 'capacity') return extra[col.key]?.[row.key] ?? null
      return null // shares are worked out by disclosure control from the counts
    }),
  }))
  const { basis: _basis, rows: _rows, ...meta } = spec
  return { ...meta, rows: figureRows }
}
