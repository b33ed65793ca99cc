import type { Optional } from '../../platform/db/columns.js'

/**
 * The privacy officer's workspace keeps its reviews on the platform's `privacy_alert` table
 * (migration 032); migration 034 adds the key of the form that reviewed an alert.
 */
declare module '../../platform/db/schema.js' {
  interface PrivacyAlertTable {
    reviewKey: Optional<string>
  }
}
