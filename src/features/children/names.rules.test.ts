import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareNames, nameTokens, normaliseName, phoneticKey } from './names.rules.js'

describe('normaliseName', () => {
  const cases: { input: string | null | undefined; expected: string }[] = [
    { input: 'Jayden', expected: 'jayden' },
    { input: '  Zoë   Smith ', expected: 'zoe smith' },
    { input: 'O’Brien', expected: 'obrien' },
    { input: "O'Brien", expected: 'obrien' },
    { input: 'Smith-Jones', expected: 'smith jones' },
    { input: 'Smith – Jones', expected: 'smith jones' },
    { input: 'St. John', expected: 'st john' },
    { input: 'José María', expected: 'jose maria' },
    { input: 'Nguyễn', expected: 'nguyen' },
    { input: 'Łukasz Strauß', expected: 'lukasz strauss' },
    { input: 'Ægir Søren', expected: 'aegir soren' },
    { input: 'MÜLLER', expected: 'muller' },
    { input: 'محمد', expected: 'محمد' },
    { input: '!!', expected: '' },
    { input: '', expected: '' },
    { input: null, expected: '' },
    { input: undefined, expected: '' },
  ]
  for (const c of cases) {
    it(`${JSON.stringify(c.input)} → ${JSON.stringify(c.expected)}`, () => expect(normaliseName(c.input)).toBe(c.expected))
  }

  it('nameTokens splits the normalised name into words', () => {
    expect(nameTokens(' Mary-Jane  O’Neill ')).toEqual(['mary', 'jane', 'oneill'])
    expect(nameTokens('')).toEqual([])
  })

  it('property: normalising twice changes nothing', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => normaliseName(normaliseName(s)) === normaliseName(s)))
  })
})

describe('phoneticKey', () => {
  const cases: { input: string; expected: string }[] = [
    // The pairs the product must match
    { input: 'Jayden', expected: 'J350' },
    { input: 'Jaden', expected: 'J350' },
    { input: 'Jaiden', expected: 'J350' },
    { input: 'Macdonald', expected: 'M235' },
    { input: 'McDonald', expected: 'M235' },
    { input: 'Mc Donald', expected: 'M235' },
    { input: 'Smith', expected: 'S530' },
    { input: 'Smyth', expected: 'S530' },
    // Standard Soundex examples
    { input: 'Robert', expected: 'R163' },
    { input: 'Rupert', expected: 'R163' },
    { input: 'Ashcraft', expected: 'A261' },
    { input: 'Tymczak', expected: 'T522' },
    { input: 'Pfister', expected: 'P236' },
    { input: 'Lee', expected: 'L000' },
    // Our rules for how names start
    { input: 'Catherine', expected: 'K365' },
    { input: 'Kathryn', expected: 'K365' },
    { input: 'Cerys', expected: 'S620' },
    { input: 'Philip', expected: 'F410' },
    { input: 'Filip', expected: 'F410' },
    { input: 'Knight', expected: 'N230' },
    { input: 'Night', expected: 'N230' },
    { input: 'Aiden', expected: 'A350' },
    { input: 'Eden', expected: 'A350' },
    { input: 'Charlotte', expected: 'C643' },
    // Accents, punctuation and other scripts
    { input: 'Zoë', expected: 'Z000' },
    { input: 'O’Brien', expected: 'A165' },
    { input: 'محمد', expected: 'محمد' },
    { input: '', expected: '' },
  ]
  for (const c of cases) {
    it(`${c.input || '(empty)'} → ${c.expected || '(empty)'}`, () => expect(phoneticKey(c.input)).toBe(c.expected))
  }

  it('property: ignores case, spaces, hyphens and apostrophes', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z' -]{0,20}$/), (name) => {
        const key = phoneticKey(name)
        return phoneticKey(name.toUpperCase()) === key && phoneticKey(name.replace(/[' -]/g, '')) === key
      }),
    )
  })

  it('property: a key from letters is one letter and three digits', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z]{1,15}$/), (name) => /^[A-Z]\d{3}$/.test(phoneticKey(name))))
  })
})

describe('compareNames', () => {
  const cases: { kind: 'family' | 'given'; a: string | null; b: string | null; expected: string }[] = [
    { kind: 'family', a: 'Smith', b: 'SMITH', expected: 'SAME' },
    { kind: 'family', a: 'McDonald', b: 'Mc Donald', expected: 'SAME' },
    { kind: 'family', a: 'O’Brien', b: 'OBrien', expected: 'SAME' },
    { kind: 'family', a: 'Smith', b: 'Smyth', expected: 'SIMILAR' },
    { kind: 'family', a: 'Macdonald', b: 'McDonald', expected: 'SIMILAR' },
    { kind: 'family', a: 'Smith-Jones', b: 'Smyth', expected: 'SIMILAR' },
    { kind: 'family', a: 'Smith-Jones', b: 'Jones', expected: 'SIMILAR' },
    { kind: 'family', a: 'Smith', b: 'Smithson', expected: 'DIFFERENT' },
    { kind: 'family', a: 'Smith', b: 'Patel', expected: 'DIFFERENT' },
    { kind: 'family', a: 'Smith', b: '', expected: 'DIFFERENT' },
    { kind: 'family', a: null, b: null, expected: 'DIFFERENT' },
    { kind: 'given', a: 'Jayden Lee', b: 'jayden', expected: 'SAME' },
    { kind: 'given', a: 'Jayden', b: 'Jaden', expected: 'SIMILAR' },
    { kind: 'given', a: 'Jayden Lee', b: 'Lee', expected: 'SIMILAR' },
    { kind: 'given', a: 'Daniel', b: 'Dan', expected: 'SIMILAR' },
    { kind: 'given', a: 'Catherine', b: 'Kathryn', expected: 'SIMILAR' },
    { kind: 'given', a: 'Jo', b: 'Joanne', expected: 'DIFFERENT' },
    { kind: 'given', a: 'Amelia', b: 'Oliver', expected: 'DIFFERENT' },
  ]
  for (const c of cases) {
    it(`${c.kind}: ${String(c.a)} / ${String(c.b)} → ${c.expected}`, () => {
      expect(compareNames(c.kind, c.a, c.b)).toBe(c.expected)
      expect(compareNames(c.kind, c.b, c.a)).toBe(c.expected)
    })
  }
})
