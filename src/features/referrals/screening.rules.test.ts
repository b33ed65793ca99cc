import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ALL_BEHAVIOUR_CONTEXTS,
  ALL_HACKETT_POINTS,
  ALL_RATINGS,
  BEHAVIOUR_CONTEXT_LABELS,
  HACKETT_LABELS,
  isBehaviourContext,
  isHackettPoint,
  isRating,
  overallRating,
  ratingLabel,
  validateScreening,
  type BrookToolVersion,
  type Rating,
  type ScreeningBehaviourInput,
  type ScreeningInput,
} from './screening.rules.js'

describe('ratingLabel', () => {
  const cases: { rating: Rating; version: BrookToolVersion; expected: string }[] = [
    { rating: 'GREEN', version: 'BROOK_ORIGINAL', expected: 'Green' },
    { rating: 'AMBER', version: 'BROOK_ORIGINAL', expected: 'Amber' },
    { rating: 'RED', version: 'BROOK_ORIGINAL', expected: 'Red' },
    { rating: 'GREEN', version: 'BROOK_2020', expected: 'Green' },
    { rating: 'AMBER', version: 'BROOK_2020', expected: 'Orange' },
    { rating: 'RED', version: 'BROOK_2020', expected: 'Red' },
  ]
  for (const c of cases) {
    it(`${c.rating} in ${c.version} → ${c.expected}`, () => expect(ratingLabel(c.rating, c.version)).toBe(c.expected))
  }
})

describe('overallRating', () => {
  const cases: { ratings: Rating[]; expected: Rating | null }[] = [
    { ratings: [], expected: null },
    { ratings: ['GREEN'], expected: 'GREEN' },
    { ratings: ['AMBER'], expected: 'AMBER' },
    { ratings: ['RED'], expected: 'RED' },
    { ratings: ['GREEN', 'GREEN'], expected: 'GREEN' },
    { ratings: ['GREEN', 'AMBER'], expected: 'AMBER' },
    { ratings: ['AMBER', 'GREEN'], expected: 'AMBER' },
    { ratings: ['GREEN', 'RED', 'AMBER'], expected: 'RED' },
    { ratings: ['RED', 'GREEN'], expected: 'RED' },
  ]
  for (const c of cases) {
    it(`[${c.ratings.join(', ')}] → ${String(c.expected)}`, () =>
      expect(overallRating(c.ratings.map((rating) => ({ rating })))).toBe(c.expected))
  }

  const rating = fc.constantFrom(...ALL_RATINGS)
  const seriousness = (r: Rating) => ALL_RATINGS.indexOf(r)

  it('property: the most serious rating given, null only when there are none', () => {
    fc.assert(
      fc.property(fc.array(rating, { maxLength: 12 }), (ratings) => {
        const overall = overallRating(ratings.map((r) => ({ rating: r })))
        if (ratings.length === 0) return overall === null
        return overall !== null && ratings.includes(overall) && ratings.every((r) => seriousness(r) <= seriousness(overall))
      }),
    )
  })

  it('property: the order of the behaviours does not matter', () => {
    const withShuffle = fc
      .array(rating, { maxLength: 12 })
      .chain((ratings) =>
        fc.tuple(fc.constant(ratings), fc.shuffledSubarray(ratings, { minLength: ratings.length, maxLength: ratings.length })),
      )
    fc.assert(
      fc.property(withShuffle, ([ratings, shuffled]) => {
        return overallRating(ratings.map((r) => ({ rating: r }))) === overallRating(shuffled.map((r) => ({ rating: r })))
      }),
    )
  })

  it('property: adding a behaviour never makes the overall rating less serious', () => {
    fc.assert(
      fc.property(fc.array(rating, { minLength: 1, maxLength: 12 }), rating, (ratings, extra) => {
        const before = overallRating(ratings.map((r) => ({ rating: r }))) as Rating
        const after = overallRating([...ratings, extra].map((r) => ({ rating: r }))) as Rating
        return seriousness(after) >= seriousness(before)
      }),
    )
  })
})

describe('lists and guards', () => {
  it('Hackett’s continuum in order, each with a label', () => {
    expect(ALL_HACKETT_POINTS).toEqual(['NORMAL', 'INAPPROPRIATE', 'PROBLEMATIC', 'ABUSIVE', 'VIOLENT'])
    expect(ALL_HACKETT_POINTS.map((p) => HACKETT_LABELS[p])).toEqual(['Normal', 'Inappropriate', 'Problematic', 'Abusive', 'Violent'])
  })

  it('contexts, each with a label', () => {
    expect(ALL_BEHAVIOUR_CONTEXTS).toEqual(['HOME', 'SCHOOL', 'ONLINE', 'COMMUNITY', 'OTHER'])
    expect(ALL_BEHAVIOUR_CONTEXTS.every((c) => BEHAVIOUR_CONTEXT_LABELS[c].length > 0)).toBe(true)
  })

  const guards: { name: string; guard: (v: unknown) => boolean; yes: string[]; no: unknown[] }[] = [
    { name: 'isRating', guard: isRating, yes: ['GREEN', 'AMBER', 'RED'], no: ['ORANGE', 'green', '', null, 'toString', 3] },
    { name: 'isHackettPoint', guard: isHackettPoint, yes: ['NORMAL', 'VIOLENT'], no: ['normal', '', undefined, 'constructor'] },
    { name: 'isBehaviourContext', guard: isBehaviourContext, yes: ['HOME', 'ONLINE'], no: ['home', 'SCHOOL ', null, 'hasOwnProperty'] },
  ]
  for (const g of guards) {
    it(g.name, () => {
      for (const v of g.yes) expect(g.guard(v)).toBe(true)
      for (const v of g.no) expect(g.guard(v)).toBe(false)
    })
  }
})

describe('validateScreening', () => {
  const TODAY = '2026-05-20'
  const behaviour = (overrides: Partial<ScreeningBehaviourInput> = {}): ScreeningBehaviourInput => ({
    description: 'Described in the practitioner’s own words',
    behaviourDate: '2026-05-01',
    context: 'SCHOOL',
    hackett: 'PROBLEMATIC',
    rating: 'AMBER',
    rationale: 'Why this rating',
    ...overrides,
  })
  const valid: ScreeningInput = {
    toolVersion: 'BROOK_2020',
    dateOfBirth: '2014-02-10',
    behaviours: [behaviour()],
    overallRationale: 'Why the overall rating',
  }
  const err = (field: string, message: string, isDate = false) => ({ field, href: `#${field}${isDate ? '-day' : ''}`, message })

  const cases: { name: string; input: ScreeningInput; expected: ReturnType<typeof err>[] }[] = [
    { name: 'a complete screening', input: valid, expected: [] },
    {
      name: 'optional fields left blank',
      input: { ...valid, behaviours: [behaviour({ behaviourDate: '', context: null, hackett: undefined })] },
      expected: [],
    },
    {
      name: 'a behaviour on the day of birth and one today',
      input: { ...valid, behaviours: [behaviour({ behaviourDate: '2014-02-10' }), behaviour({ behaviourDate: TODAY })] },
      expected: [],
    },
    {
      name: 'no tool version',
      input: { ...valid, toolVersion: '' },
      expected: [err('tool-version', 'Select which version of the Brook Traffic Light Tool you used')],
    },
    {
      name: 'an unknown tool version',
      input: { ...valid, toolVersion: 'BROOK_2030' },
      expected: [err('tool-version', 'Select which version of the Brook Traffic Light Tool you used')],
    },
    {
      name: 'no date of birth',
      input: { ...valid, dateOfBirth: null },
      expected: [err('date-of-birth', 'Enter the child’s date of birth', true)],
    },
    {
      name: 'date of birth not a real date',
      input: { ...valid, dateOfBirth: '2014-02-30' },
      expected: [err('date-of-birth', 'Date of birth must be a real date', true)],
    },
    {
      name: 'date of birth in the future',
      input: { ...valid, dateOfBirth: '2026-05-21', behaviours: [behaviour({ behaviourDate: '' })] },
      expected: [err('date-of-birth', 'Date of birth must be today or in the past', true)],
    },
    { name: 'no behaviours', input: { ...valid, behaviours: [] }, expected: [err('behaviours', 'Add at least one behaviour')] },
    {
      name: 'behaviours missing altogether',
      input: { ...valid, behaviours: undefined },
      expected: [err('behaviours', 'Add at least one behaviour')],
    },
    {
      name: 'a behaviour with no description',
      input: { ...valid, behaviours: [behaviour({ description: '   ' })] },
      expected: [err('behaviour-1-description', 'Enter a description of behaviour 1')],
    },
    {
      name: 'a behaviour with no rating',
      input: { ...valid, behaviours: [behaviour(), behaviour({ rating: '' })] },
      expected: [err('behaviour-2-rating', 'Select a rating for behaviour 2')],
    },
    {
      name: 'a behaviour with an unknown rating',
      input: { ...valid, behaviours: [behaviour({ rating: 'ORANGE' })] },
      expected: [err('behaviour-1-rating', 'Select a rating for behaviour 1')],
    },
    {
      name: 'a rating without its rationale',
      input: { ...valid, behaviours: [behaviour({ rationale: '' })] },
      expected: [err('behaviour-1-rationale', 'Enter the rationale for the rating of behaviour 1')],
    },
    {
      name: 'no overall rationale',
      input: { ...valid, overallRationale: ' ' },
      expected: [err('overall-rationale', 'Enter the rationale for the rating')],
    },
    {
      name: 'a behaviour before the date of birth',
      input: { ...valid, behaviours: [behaviour({ behaviourDate: '2014-02-09' })] },
      expected: [err('behaviour-1-date', 'Date of behaviour 1 must be on or after the child’s date of birth', true)],
    },
    {
      name: 'a behaviour in the future',
      input: { ...valid, behaviours: [behaviour({ behaviourDate: '2026-05-21' })] },
      expected: [err('behaviour-1-date', 'Date of behaviour 1 must be today or in the past', true)],
    },
    {
      name: 'a behaviour date that is not real',
      input: { ...valid, behaviours: [behaviour({ behaviourDate: '2026-02-29' })] },
      expected: [err('behaviour-1-date', 'Date of behaviour 1 must be a real date', true)],
    },
    {
      name: 'an unknown context',
      input: { ...valid, behaviours: [behaviour({ context: 'PARK' })] },
      expected: [err('behaviour-1-context', 'Select where behaviour 1 happened')],
    },
    {
      name: 'an unknown point on Hackett’s continuum',
      input: { ...valid, behaviours: [behaviour({ hackett: 'BAD' })] },
      expected: [err('behaviour-1-hackett', 'Select where behaviour 1 sits on Hackett’s continuum')],
    },
    {
      name: 'a behaviour before an invalid date of birth: only the date of birth is reported',
      input: { ...valid, dateOfBirth: '2014-13-01', behaviours: [behaviour({ behaviourDate: '2000-01-01' })] },
      expected: [err('date-of-birth', 'Date of birth must be a real date', true)],
    },
    {
      name: 'everything wrong at once, in page order',
      input: {
        toolVersion: null,
        dateOfBirth: '',
        behaviours: [{ behaviourDate: '2030-01-01', context: 'X', hackett: 'Y' }, { rating: 'RED' }],
        overallRationale: null,
      },
      expected: [
        err('tool-version', 'Select which version of the Brook Traffic Light Tool you used'),
        err('date-of-birth', 'Enter the child’s date of birth', true),
        err('behaviour-1-description', 'Enter a description of behaviour 1'),
        err('behaviour-1-date', 'Date of behaviour 1 must be today or in the past', true),
        err('behaviour-1-context', 'Select where behaviour 1 happened'),
        err('behaviour-1-hackett', 'Select where behaviour 1 sits on Hackett’s continuum'),
        err('behaviour-1-rating', 'Select a rating for behaviour 1'),
        err('behaviour-2-description', 'Enter a description of behaviour 2'),
        err('behaviour-2-rationale', 'Enter the rationale for the rating of behaviour 2'),
        err('overall-rationale', 'Enter the rationale for the rating'),
      ],
    },
  ]
  for (const c of cases) {
    it(c.name, () => expect(validateScreening(c.input, TODAY)).toEqual(c.expected))
  }
})
