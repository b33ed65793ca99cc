import type { CaseStatus } from '../cases/index.js'

/**
 * What the person who raised a request for support is told of it, in plain words: where it is,
 * and what was decided. Nothing of the screening's rating, the assessment, the police or the
 * meetings: those stay on the case, which a referrer does not open. Pure: no I/O.
 */
export type RequestProgress = {
  /** Where the request is now, in a sentence's words. */
  status: string
  /** The same as a short tag, for the list of requests. */
  short: string
  /** What happens next, or what was decided, in a sentence. */
  meaning: string
  /** Whether the decision on the request (screening, oversight and what follows) has been made. */
  decided: boolean
  tag: 'blue' | 'yellow' | 'green' | 'grey'
}

const WORKING: RequestProgress = {
  status: 'Accepted: professionals are working with the child',
  short: 'Accepted',
  meaning:
    'Children’s social care decided that the child needs help through the harmful sexual behaviour pathway. Professionals from the agencies involved are working with the child and their family.',
  decided: true,
  tag: 'green',
}

const PROGRESS: Record<Exclude<CaseStatus, 'CLOSED'>, RequestProgress> = {
  REFERRED: {
    status: 'Received: waiting to be screened',
    short: 'Received',
    meaning: 'Your request has been received. A social worker will look at it, usually within one working day.',
    decided: false,
    tag: 'blue',
  },
  AWAITING_OVERSIGHT: {
    status: 'Screened: a manager is checking the decision',
    short: 'Being checked',
    meaning: 'A social worker has looked at your request. A manager is checking what they decided.',
    decided: false,
    tag: 'blue',
  },
  GREEN_DECISION: {
    status: 'Screened: deciding what support is needed',
    short: 'Being decided',
    meaning: 'Children’s social care is deciding whether the child and family need early help, or no further action.',
    decided: false,
    tag: 'blue',
  },
  EARLY_HELP: {
    status: 'Passed to early help',
    short: 'Early help',
    meaning:
      'Children’s social care decided that the child and family should be offered support from early help services, rather than through the harmful sexual behaviour pathway.',
    decided: true,
    tag: 'yellow',
  },
  STRATEGY_MEETING_DUE: WORKING,
  STRATEGY_MEETING_HELD: WORKING,
  AIM_STRATEGY_DISCUSSION_DUE: WORKING,
  AIM_ASSESSMENT: WORKING,
  NO_AIM_ASSESSMENT: WORKING,
  REVIEW_MEETING_DUE: WORKING,
  INTERVENTION: WORKING,
  PANEL_REQUESTED: WORKING,
}

/** A request's progress from its case's status; a closed case says whether the front door closed it or the work ended. */
export function requestProgress(status: CaseStatus, closedAtTheFrontDoor: boolean): RequestProgress {
  if (status !== 'CLOSED') return PROGRESS[status]
  return closedAtTheFrontDoor
    ? {
        status: 'Closed: no further action',
        short: 'No further action',
        meaning: 'Children’s social care decided that no further action was needed through the harmful sexual behaviour pathway.',
        decided: true,
        tag: 'grey',
      }
    : {
        status: 'Closed: the work has ended',
        short: 'Closed',
        meaning: 'Professionals worked with the child through the harmful sexual behaviour pathway, and that work has now ended.',
        decided: true,
        tag: 'grey',
      }
}

/** What a share-back may hold: a title and the words shared, as the form and the database both check. */
export const UPDATE_LIMITS = { title: 120, body: 5000 } as const
