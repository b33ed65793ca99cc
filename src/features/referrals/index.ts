/**
 * The referrals feature's public face: its module, and the forms a person fills in at the front
 * door (the demo seed fills them in the same way).
 */
export { referralsModule } from './referrals.module.js'
export { parseRequestForSupport } from './request-for-support.form.js'
export { readShareForm } from './referrer-view.form.js'
export { parseAllocation, parseGreenDecision, parseOversight } from './routing.form.js'
export { DEFAULT_TOOL_VERSION, readScreeningForm } from './screening.form.js'
export type { SharingBasis } from './referral.rules.js'
export type { BehaviourContext, HackettPoint, Rating } from './screening.rules.js'
export { insertImportedRequests, type ImportedRequest } from './referrals.import.js'
