/** The interventions feature's public face: its module (the review and end meetings' pages, the intervention plan, the HSB panel and closure). */
export { interventionsModule, type InterventionsModule } from './interventions.module.js'
export type { InterventionsService, MeetingType } from './interventions.service.js'
export { CONCERN_LEVELS, GLM_NEEDS, GOAL_STATUSES, PANEL_LEVELS, type GoalInput } from './interventions.rules.js'
