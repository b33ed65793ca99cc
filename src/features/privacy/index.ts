/** The privacy officer's workspace's public face: its module, and audit actions in plain words for every page that shows the audit log. */
export { privacyModule, type PrivacyModule } from './privacy.module.js'
export { describeAuditAction, hasAuditWords } from './audit-words.js'
