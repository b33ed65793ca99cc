import { describe, expect, it } from 'vitest'
import { emailFromClaims, isLoopbackHttpIssuer, rolesFromClaims, sameRoles, type IdTokenClaims } from './oidc.rules.js'

const MAP = { 'HSB.SocialWorker': 'SOCIAL_WORKER', 'HSB.Lead': 'HSB_LEAD', 'HSB.Manager': 'TEAM_MANAGER', 'HSB.Typo': 'NOT_A_ROLE' }

describe('rolesFromClaims', () => {
  const cases: { name: string; claims: IdTokenClaims; claim?: string; map?: Record<string, string>; expected: string[] | undefined }[] = [
    { name: 'claim absent: roles left unchanged', claims: { sub: 's' }, expected: undefined },
    { name: 'claim is a single string', claims: { roles: 'HSB.Lead' }, expected: ['HSB_LEAD'] },
    { name: 'claim is an array', claims: { roles: ['HSB.SocialWorker', 'HSB.Lead'] }, expected: ['SOCIAL_WORKER', 'HSB_LEAD'] },
    { name: 'unmapped values are dropped', claims: { roles: ['HSB.Lead', 'Other.App.Role'] }, expected: ['HSB_LEAD'] },
    { name: 'values mapped to something that is not a role are dropped', claims: { roles: ['HSB.Typo'] }, expected: [] },
    { name: 'keys are compared exactly (case matters)', claims: { roles: ['hsb.lead', 'HSB.LEAD'] }, expected: [] },
    { name: 'present but empty: no roles', claims: { roles: [] }, expected: [] },
    { name: 'repeats are collapsed', claims: { roles: ['HSB.Lead', 'HSB.Lead'] }, expected: ['HSB_LEAD'] },
    {
      name: 'order is ours, not the provider’s',
      claims: { roles: ['HSB.Lead', 'HSB.Manager', 'HSB.SocialWorker'] },
      expected: ['SOCIAL_WORKER', 'TEAM_MANAGER', 'HSB_LEAD'],
    },
    {
      name: 'non-string array entries are ignored',
      claims: { roles: ['HSB.Lead', 42, null, { v: 'HSB.SocialWorker' }] },
      expected: ['HSB_LEAD'],
    },
    { name: 'a claim of another type is treated as absent', claims: { roles: 7 }, expected: undefined },
    {
      name: 'the configured claim name is used',
      claims: { roles: ['HSB.Lead'], app_roles: ['HSB.SocialWorker'] },
      claim: 'app_roles',
      expected: ['SOCIAL_WORKER'],
    },
    { name: 'inherited object keys are not map entries', claims: { roles: ['toString', 'constructor', '__proto__'] }, expected: [] },
    { name: 'no role map configured: roles left unchanged', claims: { roles: ['HSB.Lead'] }, map: {}, expected: undefined },
    {
      name: 'a value mapped straight to a role name works',
      claims: { roles: ['Admins'] },
      map: { Admins: 'SYSTEM_ADMINISTRATOR' },
      expected: ['SYSTEM_ADMINISTRATOR'],
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(rolesFromClaims(c.claims, c.claim ?? 'roles', c.map ?? MAP)).toEqual(c.expected)
    })
  }
})

describe('emailFromClaims', () => {
  const cases: { name: string; claims: IdTokenClaims; expected: string | undefined }[] = [
    {
      name: 'email first',
      claims: { email: 'a@x.example', preferred_username: 'b@x.example', upn: 'c@x.example' },
      expected: 'a@x.example',
    },
    { name: 'then preferred_username', claims: { preferred_username: 'B@X.example', upn: 'c@x.example' }, expected: 'b@x.example' },
    { name: 'then upn', claims: { upn: 'c@x.example' }, expected: 'c@x.example' },
    { name: 'lower-cased and trimmed', claims: { email: '  Someone@Example.ORG ' }, expected: 'someone@example.org' },
    {
      name: 'an email marked unverified is skipped',
      claims: { email: 'a@x.example', email_verified: false, preferred_username: 'b@x.example' },
      expected: 'b@x.example',
    },
    {
      name: 'a preferred_username that is not an address is skipped',
      claims: { preferred_username: 'someone', upn: 'c@x.example' },
      expected: 'c@x.example',
    },
    { name: 'non-string values are skipped', claims: { email: ['a@x.example'], upn: 'c@x.example' }, expected: 'c@x.example' },
    { name: 'none at all', claims: { sub: 'abc' }, expected: undefined },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(emailFromClaims(c.claims)).toBe(c.expected)
    })
  }
})

describe('sameRoles', () => {
  const cases: [string[], string[], boolean][] = [
    [[], [], true],
    [['HSB_LEAD', 'SOCIAL_WORKER'], ['SOCIAL_WORKER', 'HSB_LEAD'], true],
    [['HSB_LEAD'], ['HSB_LEAD', 'SOCIAL_WORKER'], false],
    [['HSB_LEAD'], [], false],
    [['HSB_LEAD', 'HSB_LEAD'], ['HSB_LEAD'], true],
  ]
  for (const [a, b, expected] of cases) {
    it(`${JSON.stringify(a)} vs ${JSON.stringify(b)} → ${expected}`, () => {
      expect(sameRoles(a, b)).toBe(expected)
    })
  }
})

describe('isLoopbackHttpIssuer', () => {
  const cases: [string, boolean][] = [
    ['http://localhost:4000', true],
    ['http://127.0.0.1:4000/oidc', true],
    ['https://localhost:4000', false],
    ['http://login.microsoftonline.com/tenant/v2.0', false],
    ['https://login.microsoftonline.com/tenant/v2.0', false],
    ['http://localhost.evil.example', false],
    ['http://127.0.0.1.evil.example', false],
    ['not a url', false],
  ]
  for (const [issuer, expected] of cases) {
    it(`${issuer} → ${expected}`, () => {
      expect(isLoopbackHttpIssuer(issuer)).toBe(expected)
    })
  }
})
