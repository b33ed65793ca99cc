import { addCalendarDays, type IsoDate } from '../../platform/clocks/london-time.js'
import { TRAINING_MODELS, type TrainingModel } from '../admin/index.js'
import type { Figure } from './insight.figures.js'

/**
 * The workforce figures: who is trained in which model, whose training runs out soon, how many
 * assessments each co-assessor holds, and trained capacity against the AIM assessments due.
 * Pure: the counting is done in SQL (workforce.repository.ts); this names the rows and columns.
 *
 * Definitions (as at the end of the as-at day, D):
 * - current training: completed on or before D and not expired (no expiry date, or it expires after D);
 * - expiring: a practitioner's latest expiry for the model falls in the next 90 days (after D, up to D + 90);
 * - a current co-assessment: named on or before D, not ended, and the assessment not completed by D;
 * - in progress: an AIM assessment started and not completed by D; awaiting start: decided, not started by D
 *   (both on cases not closed by D).
 */

/** The training models: one list, kept with the training records it describes (admin). */
export { TRAINING_MODELS, type TrainingModel }

/** The models an AIM assessment is done in (two trained co-assessors each). */
export const AIM_MODELS = ['AIM2', 'AIM3', 'AIM_UNDER_12S'] as const satisfies readonly TrainingModel[]
export type AimModel = (typeof AIM_MODELS)[number]

export const EXPIRY_WINDOW_DAYS = 90

export const LOAD_BUCKETS = [
  { value: '0', label: 'None' },
  { value: '1', label: '1 assessment' },
  { value: '2', label: '2 assessments' },
  { value: '3+', label: '3 or more assessments' },
] as const
export type LoadBucket = (typeof LOAD_BUCKETS)[number]['value']

export const WORKFORCE_FIGURES = [
  'trained-by-model',
  'trained-by-agency',
  'training-expiring',
  'co-assessor-load',
  'trained-capacity',
] as const
export type WorkforceFigureId = (typeof WORKFORCE_FIGURES)[number]

export const modelLabel = (model: string) => TRAINING_MODELS.find((m) => m.value === model)?.label ?? model

/** Whether a training record is current on day D (the expiry date itself is the first day it no longer counts). */
export const isCurrentTraining = (t: { completedOn: IsoDate; expiresOn: IsoDate | null }, day: IsoDate) =>
  t.completedOn <= day && (t.expiresOn === null || t.expiresOn > day)

/** The last day of the expiry window that starts after day D. */
export const expiryWindowEnd = (day: IsoDate): IsoDate => addCalendarDays(day, EXPIRY_WINDOW_DAYS)

export const loadBucket = (assessments: number): LoadBucket => (assessments >= 3 ? '3+' : (String(assessments) as LoadBucket))

/** Every AIM assessment needs two trained co-assessors: the pairs a number of practitioners makes. */
export const pairsAvailable = (practitioners: number) => Math.floor(practitioners / 2)

const byKey = <T extends { key: string }>(rows: readonly T[]) => new Map(rows.map((r) => [r.key, r]))

export type ModelCount = { model: string; n: number }
export type AgencyModelCount = { agencyId: string; model: string; n: number }

export function trainedByModelFigure(rows: readonly ModelCount[], asAt: IsoDate): Figure {
  const counts = byKey(rows.map((r) => ({ key: r.model, n: r.n })))
  return {
    id: 'trained-by-model',
    title: 'Practitioners trained, by model',
    description: `Practitioners whose training in each model was current at the end of ${asAt} (completed, and not expired). One person can hold several models.`,
    rowHeading: 'Model',
    columns: [{ key: 'practitioners', label: 'Practitioners with current training', kind: 'count' }],
    rows: TRAINING_MODELS.map((m) => ({ key: m.value, label: m.label, values: [counts.get(m.value)?.n ?? 0] })),
    totalRow: false,
    drillable: false,
  }
}

export function trainedByAgencyFigure(
  agencies: readonly { id: string; name: string }[],
  rows: readonly AgencyModelCount[],
  asAt: IsoDate,
): Figure {
  const counts = new Map(rows.map((r) => [`${r.agencyId}|${r.model}`, r.n]))
  return {
    id: 'trained-by-agency',
    title: 'Practitioners trained, by agency and model',
    description: `Practitioners in each agency whose training was current at the end of ${asAt}. The total row matches the figure by model.`,
    rowHeading: 'Agency',
    columns: TRAINING_MODELS.map((m) => ({ key: m.value, label: m.label, kind: 'count' as const })),
    rows: agencies.map((a) => ({ key: a.id, label: a.name, values: TRAINING_MODELS.map((m) => counts.get(`${a.id}|${m.value}`) ?? 0) })),
    totalRow: true,
    drillable: false,
  }
}

export function expiringFigure(rows: readonly ModelCount[], asAt: IsoDate): Figure {
  const counts = byKey(rows.map((r) => ({ key: r.model, n: r.n })))
  return {
    id: 'training-expiring',
    title: `Training expiring in the next ${EXPIRY_WINDOW_DAYS} days`,
    description: `Practitioners whose latest training in each model expires after ${asAt} and on or before ${expiryWindowEnd(asAt)}, with no later renewal recorded.`,
    rowHeading: 'Model',
    columns: [{ key: 'expiring', label: 'Practitioners whose training expires', kind: 'count' }],
    rows: TRAINING_MODELS.map((m) => ({ key: m.value, label: m.label, values: [counts.get(m.value)?.n ?? 0] })),
    totalRow: false,
    drillable: false,
  }
}

export function coAssessorLoadFigure(rows: readonly { bucket: string; n: number }[], asAt: IsoDate): Figure {
  const counts = byKey(rows.map((r) => ({ key: r.bucket, n: r.n })))
  return {
    id: 'co-assessor-load',
    title: 'Co-assessor load',
    description: `Practitioners with current AIM training, or named as a co-assessor, by how many AIM assessments they were co-assessing at the end of ${asAt} (not ended, and the assessment not completed).`,
    rowHeading: 'Current co-assessments',
    columns: [{ key: 'practitioners', label: 'Practitioners', kind: 'count' }],
    rows: LOAD_BUCKETS.map((b) => ({ key: b.value, label: b.label, values: [counts.get(b.value)?.n ?? 0] })),
    totalRow: true,
    drillable: false,
  }
}

export type AssessmentDue = { model: string | null; inProgress: number; awaiting: number }

export function capacityFigure(trained: readonly ModelCount[], due: readonly AssessmentDue[], asAt: IsoDate): Figure {
  const n = byKey(trained.map((r) => ({ key: r.model, n: r.n })))
  const d = new Map(due.map((r) => [r.model ?? 'NOT_CHOSEN', r]))
  const aimRows = AIM_MODELS.map((m) => {
    const people = n.get(m)?.n ?? 0
    return { key: m, label: modelLabel(m), values: [people, pairsAvailable(people), d.get(m)?.inProgress ?? 0, d.get(m)?.awaiting ?? 0] }
  })
  const notChosen = d.get('NOT_CHOSEN')
  return {
    id: 'trained-capacity',
    title: 'Trained capacity against AIM assessments due',
    description: `At the end of ${asAt}: practitioners with current training in each AIM model and the co-assessor pairs they make (every assessment needs two), against the assessments in progress and those decided but not yet started.`,
    rowHeading: 'AIM model',
    columns: [
      { key: 'trained', label: 'Practitioners with current training', kind: 'count' },
      { key: 'pairs', label: 'Co-assessor pairs (half, rounded down)', kind: 'capacity' },
      { key: 'in-progress', label: 'Assessments in progress', kind: 'count' },
      { key: 'awaiting', label: 'Decided, not yet started', kind: 'count' },
    ],
    rows:
      notChosen && notChosen.inProgress + notChosen.awaiting > 0
        ? [...aimRows, { key: 'NOT_CHOSEN', label: 'Model not chosen yet', values: [null, null, notChosen.inProgress, notChosen.awaiting] }]
        : aimRows,
    totalRow: false,
    drillable: false,
  }
}
