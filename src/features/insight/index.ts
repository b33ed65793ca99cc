/**
 * The insight feature's public face: its module, and the periods and report sections the demo
 * seed uses to write a board report through the service.
 */
export { insightModule, type InsightModule } from './insight.module.js'
export { financialYear, financialYearOf, type Period } from './insight.query.js'
export { SECTIONS, defaultTitle } from './report.rules.js'
