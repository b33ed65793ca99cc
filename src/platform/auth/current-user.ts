import type { Actor } from '../access/policy.js'

/** The signed-in person as the request sees them: an access-policy actor with a name for the header. */
export type CurrentUser = Actor & { displayName: string; email: string; agencyName: string }
