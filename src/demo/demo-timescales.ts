import { randomUUID } from 'node:crypto'
import type { Services } from '../composition.js'
import { addCalendarDays, londonDate } from '../platform/clocks/london-time.js'
import { DEMO_EMAILS } from './demo-data.js'
import { demoPeople } from './demo-steps.js'

const REQUEST_ID = 'demo-timescales'
/** The demo's local change: the strategy meeting clock, from four weeks after the demo was loaded. */
export const DEMO_TIMESCALE = { kind: 'STRATEGY_MEETING', length: 48, daysAhead: 28 } as const
export const DEMO_TIMESCALE_REASON =
  'Agreed by the partnership’s executive group: strategy meetings within 48 hours, so that police and health can attend.'

/**
 * Local timescales in use: the HSB lead (Aisha Rahman) has set the strategy meeting clock to 48
 * hours from a date still to come, with the reason, so the Timescales page shows a change to come
 * and its history. Effective in the future: no demo clock (all started by now) changes.
 */
export async function seedDemoTimescales(services: Services, partnershipId: string): Promise<void> {
  const { aisha } = await demoPeople(services, partnershipId, { aisha: DEMO_EMAILS.aisha })
  const effective = addCalendarDays(londonDate(new Date()), DEMO_TIMESCALE.daysAhead)
  const [year, month, day] = effective.split('-') as [string, string, string]
  const result = await services.cases.service.timescales.change(
    aisha,
    DEMO_TIMESCALE.kind,
    { key: randomUUID(), input: { length: String(DEMO_TIMESCALE.length), effective: { day, month, year }, reason: DEMO_TIMESCALE_REASON } },
    REQUEST_ID,
  )
  if (!result.ok) throw new Error(`Demo data: the timescale change was refused: ${result.errors.map((e) => e.text).join('; ')}`)
}
