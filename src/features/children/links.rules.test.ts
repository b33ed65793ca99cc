import { describe, expect, it } from 'vitest'
import { ALL_LINK_KINDS, isLinkKind, linkLabel, type LinkDirection, type LinkKind } from './links.rules.js'

describe('linkLabel', () => {
  const cases: { kind: LinkKind; direction: LinkDirection; expected: string }[] = [
    { kind: 'HARMED_CHILD', direction: 'FROM', expected: 'Harmed child' },
    { kind: 'HARMED_CHILD', direction: 'TO', expected: 'Child who displayed the behaviour' },
    { kind: 'SIBLING', direction: 'FROM', expected: 'Sibling' },
    { kind: 'SIBLING', direction: 'TO', expected: 'Sibling' },
    { kind: 'PEER', direction: 'FROM', expected: 'Peer' },
    { kind: 'PEER', direction: 'TO', expected: 'Peer' },
    { kind: 'OTHER', direction: 'FROM', expected: 'Other' },
    { kind: 'OTHER', direction: 'TO', expected: 'Other' },
  ]
  for (const c of cases) {
    it(`${c.kind} seen ${c.direction} → ${c.expected}`, () => expect(linkLabel(c.kind, c.direction)).toBe(c.expected))
  }

  it('covers every kind', () => expect(ALL_LINK_KINDS).toEqual(['HARMED_CHILD', 'SIBLING', 'PEER', 'OTHER']))
})

describe('isLinkKind', () => {
  const cases: { input: unknown; expected: boolean }[] = [
    { input: 'HARMED_CHILD', expected: true },
    { input: 'PEER', expected: true },
    { input: 'harmed_child', expected: false },
    { input: 'PARENT', expected: false },
    { input: '', expected: false },
    { input: undefined, expected: false },
    { input: ['PEER'], expected: false },
  ]
  for (const c of cases) {
    it(`${JSON.stringify(c.input)} → ${c.expected}`, () => expect(isLinkKind(c.input)).toBe(c.expected))
  }
})
