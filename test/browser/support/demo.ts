import { DEMO_PASSWORD, DEMO_USERS, type DemoUser } from '../../../src/demo/demo-data.js'
import { landingFor, type Landing } from '../../../src/features/home/landing.rules.js'

export { DEMO_PASSWORD, DEMO_USERS, type DemoUser }

export function demoUser(email: string): DemoUser {
  const user = DEMO_USERS.find((u) => u.email === email)
  if (!user) throw new Error(`No demo user with email ${email}`)
  return user
}

/** Where the app should send this person after sign-in (see src/features/home/landing.rules.ts). */
export function expectedLanding(user: DemoUser): Landing {
  return landingFor(user.roles)
}

export const SOCIAL_WORKER = 'sam.okafor@northshire.example'
export const BOARD_MEMBER = 'margaret.osei@northshire.example'
