import type { Services } from '../composition.js'
import { seedDemoInsightHistory } from './demo-insight-history.js'
import { seedDemoBoardReport } from './demo-insight-report.js'
import { seedDemoWorkforce } from './demo-insight-workforce.js'

/**
 * Demo data for insight: a history of children on the pathway over the last two financial years
 * (so the dashboard has figures to show), the provision register, recorded case factors,
 * training records and a draft board report. Made through the services.
 */
export async function seedDemoInsight(services: Services, partnershipId: string): Promise<void> {
  await seedDemoInsightHistory(services, partnershipId)
  await seedDemoWorkforce(services, partnershipId)
  await seedDemoBoardReport(services, partnershipId)
}
