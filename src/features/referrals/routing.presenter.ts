import type { FieldError } from '../../platform/forms/forms.js'
import type { StepView } from './case-step.js'
import type { AllocationData, DecisionData } from './routing.service.js'
import { presentScreeningRecord } from './screening.presenter.js'
import { itemsFrom, one, stepForm, YES_NO, type Values } from './step.presenter.js'

export function presentDecision(view: StepView<DecisionData>, values: Values = {}, errors?: FieldError[], conflict = false) {
  const { kase, data } = view
  return {
    ...stepForm('Green: decide the next steps', kase, values, errors, conflict),
    record: data?.screening ? presentScreeningRecord(data.screening) : null,
    decision: one(values.decision),
    ehaItems: itemsFrom(YES_NO, one(values['eha-requested'])),
  }
}

export function presentAllocation(view: StepView<AllocationData>, values: Values = {}, errors?: FieldError[], conflict = false) {
  const { kase, data } = view
  const team = one(values.team)
  const worker = one(values.worker)
  // One option per social worker, naming their teams: a worker in two teams is one person.
  const workers = new Map<string, { name: string; teams: string[] }>()
  for (const w of data?.workers ?? []) {
    const entry = workers.get(w.id) ?? { name: w.displayName, teams: [] }
    entry.teams.push(w.teamName)
    workers.set(w.id, entry)
  }
  return {
    ...stepForm('Allocate the case', kase, values, errors, conflict),
    current: [kase.allocatedTeamName, kase.allocatedUserName].filter(Boolean).join(': ') || null,
    needsInterimMeasures: data?.needsInterimMeasures ?? false,
    teamItems: [
      { value: '', text: 'Select a team' },
      ...(data?.teams ?? []).map((t) => ({ value: t.id, text: `${t.name} (${t.agencyName})`, selected: t.id === team })),
    ],
    workerItems: [
      { value: '', text: 'Select a social worker' },
      ...[...workers].map(([id, w]) => ({ value: id, text: `${w.name} – ${w.teams.join(', ')}`, selected: id === worker })),
    ],
  }
}
