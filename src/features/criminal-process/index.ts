/** The criminal process feature's public face: its module, and what the chronology and assessments read of it. */
export { criminalProcessModule, type CriminalProcessModule } from './criminal-process.module.js'
export type { BailHold, CriminalProcessRow } from './criminal-process.repository.js'
export { bailHoldsUpIntervention, criminalProcessEntries } from './criminal-process.queries.js'
export { entrySummary } from './criminal-process.presenter.js'
export { KIND_LABELS, emptyEntry, type EntryInput } from './criminal-process.rules.js'
