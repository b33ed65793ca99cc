/** The case audits feature's public face: its module (multi-agency case audits, their seeded samples, lead auditors' reads, findings and the report). */
export { caseAuditsModule, type CaseAuditsModule } from './case-audits.module.js'
