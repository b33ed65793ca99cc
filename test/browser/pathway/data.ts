import { londonParts } from '../../../src/platform/forms/dates.js'
/**
 * Fictional children for the pathway journeys. The suite's server starts on an empty database,
 * so each journey creates its own children through the pages. Names and dates of birth differ
 * from journey to journey so that no journey's child is offered as a possible match in another.
 */
export type ChildDetails = { givenNames: string; familyName: string; dateOfBirth: { day: string; month: string; year: string } }

export const fullName = (c: ChildDetails) => `${c.givenNames} ${c.familyName}`

export const CHILDREN = {
  greenToEarlyHelp: { givenNames: 'Rowan', familyName: 'Feltwell', dateOfBirth: { day: '14', month: '3', year: '2012' } },
  amberStrategyMeeting: { givenNames: 'Casey', familyName: 'Marlowby', dateOfBirth: { day: '9', month: '7', year: '2011' } },
  redOpenCase: { givenNames: 'Jordan', familyName: 'Pellowan', dateOfBirth: { day: '21', month: '11', year: '2010' } },
  policeNotInvolved: { givenNames: 'Harper', familyName: 'Wenlock', dateOfBirth: { day: '17', month: '2', year: '2011' } },
  behaviourChild: { givenNames: 'Riley', familyName: 'Penhallow', dateOfBirth: { day: '3', month: '5', year: '2011' } },
  harmedChild: { givenNames: 'Skye', familyName: 'Brindlow', dateOfBirth: { day: '12', month: '8', year: '2015' } },
  duplicateOriginal: { givenNames: 'Jayden', familyName: 'Okonjo', dateOfBirth: { day: '5', month: '9', year: '2012' } },
} as const satisfies Record<string, ChildDetails>

/** A UK wall-clock date and time, as the forms take them (day, month, year; 24-hour time). */
export const londonNow = (at = new Date()) => londonParts(at)
