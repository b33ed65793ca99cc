import type { Role } from '../platform/access/roles.js'

/**
 * The demo partnership. Every organisation, person and child here is fictional; email
 * addresses use the reserved example domain.
 */
export const DEMO_PASSWORD = 'demo-pathway-sign-in'
export const DEMO_PARTNERSHIP = 'Northshire Safeguarding Children Partnership'

export const DEMO_AGENCIES = [
  {
    key: 'csc',
    name: 'Northshire Children’s Services',
    kind: 'CHILDRENS_SERVICES',
    teams: ['Front Door (MASH)', 'Assessment Team', 'Family Support Team', 'Safeguarding Quality and Review'],
  },
  { key: 'police', name: 'Northshire Police', kind: 'POLICE', teams: ['Child Protection Unit'] },
  { key: 'yos', name: 'Northshire Youth Offending Service', kind: 'YOUTH_OFFENDING', teams: ['Youth Offending Team'] },
  { key: 'health', name: 'Northshire Community Health NHS Trust', kind: 'HEALTH', teams: ['School Nursing'] },
  { key: 'school', name: 'Riverside Academy', kind: 'EDUCATION', teams: [] },
  { key: 'voluntary', name: 'Brightpath Family Support', kind: 'VOLUNTARY', teams: [] },
  { key: 'partnership', name: 'Partnership Business Unit', kind: 'PARTNERSHIP', teams: [] },
] as const

export type DemoAgencyKey = (typeof DEMO_AGENCIES)[number]['key']

/** Every demo person's email, by their first name as the demo stories name them (priya, jo, sam…). */
export const DEMO_EMAILS = {
  priya: 'priya.shah@riverside.example',
  jo: 'jo.whitfield@northshire.example',
  sam: 'sam.okafor@northshire.example',
  helen: 'helen.marsh@northshire.example',
  aisha: 'aisha.rahman@northshire.example',
  tom: 'tom.bradley@northshire.example',
  kerry: 'kerry.doyle@northshire-yos.example',
  mark: 'mark.ellis@northshire-police.example',
  fiona: 'fiona.grant@northshire.example',
  ben: 'ben.carter@northshire.example',
  nadia: 'nadia.hussain@northshire-health.example',
  margaret: 'margaret.osei@northshire.example',
  leo: 'leo.park@northshire.example',
  ruth: 'ruth.adeyemi@northshire.example',
  chris: 'chris.morgan@northshire.example',
  dan: 'dan.hughes@brightpath.example',
} as const

export type DemoUser = {
  displayName: string
  email: string
  agency: DemoAgencyKey
  teams: string[]
  roles: Role[]
  training?: { model: string; completedOn: string; expiresOn: string | null }[]
}

export const DEMO_USERS: DemoUser[] = [
  { displayName: 'Priya Shah', email: DEMO_EMAILS.priya, agency: 'school', teams: [], roles: ['REFERRER'] },
  {
    displayName: 'Jo Whitfield',
    email: DEMO_EMAILS.jo,
    agency: 'csc',
    teams: ['Front Door (MASH)'],
    roles: ['SOCIAL_WORKER'],
    training: [{ model: 'BROOK_TRAFFIC_LIGHT', completedOn: '2025-09-15', expiresOn: null }],
  },
  {
    displayName: 'Sam Okafor',
    email: DEMO_EMAILS.sam,
    agency: 'csc',
    teams: ['Assessment Team'],
    roles: ['SOCIAL_WORKER'],
    training: [
      { model: 'BROOK_TRAFFIC_LIGHT', completedOn: '2024-11-04', expiresOn: null },
      { model: 'SIGNS_OF_SAFETY', completedOn: '2023-06-20', expiresOn: null },
    ],
  },
  { displayName: 'Helen Marsh', email: DEMO_EMAILS.helen, agency: 'csc', teams: ['Assessment Team'], roles: ['TEAM_MANAGER'] },
  {
    displayName: 'Aisha Rahman',
    email: DEMO_EMAILS.aisha,
    agency: 'csc',
    teams: ['Safeguarding Quality and Review'],
    roles: ['HSB_LEAD'],
    training: [
      { model: 'AIM3', completedOn: '2024-02-12', expiresOn: '2027-02-12' },
      { model: 'AIM_UNDER_12S', completedOn: '2024-05-08', expiresOn: '2027-05-08' },
    ],
  },
  {
    displayName: 'Tom Bradley',
    email: DEMO_EMAILS.tom,
    agency: 'csc',
    teams: ['Family Support Team'],
    roles: ['AIM_PRACTITIONER'],
    training: [{ model: 'AIM3', completedOn: '2025-03-10', expiresOn: '2028-03-10' }],
  },
  {
    displayName: 'Kerry Doyle',
    email: DEMO_EMAILS.kerry,
    agency: 'yos',
    teams: ['Youth Offending Team'],
    roles: ['AIM_PRACTITIONER', 'YOS_OFFICER'],
    training: [{ model: 'AIM3', completedOn: '2023-01-16', expiresOn: '2026-01-16' }],
  },
  { displayName: 'Mark Ellis', email: DEMO_EMAILS.mark, agency: 'police', teams: ['Child Protection Unit'], roles: ['POLICE_OFFICER'] },
  { displayName: 'Fiona Grant', email: DEMO_EMAILS.fiona, agency: 'csc', teams: [], roles: ['HEAD_OF_SERVICE'] },
  { displayName: 'Ben Carter', email: DEMO_EMAILS.ben, agency: 'partnership', teams: [], roles: ['PARTNERSHIP_BUSINESS_MANAGER'] },
  {
    displayName: 'Nadia Hussain',
    email: DEMO_EMAILS.nadia,
    agency: 'health',
    teams: ['School Nursing'],
    roles: ['AGENCY_LEAD', 'LEAD_AUDITOR'],
  },
  { displayName: 'Margaret Osei', email: DEMO_EMAILS.margaret, agency: 'partnership', teams: [], roles: ['BOARD_MEMBER'] },
  { displayName: 'Leo Park', email: DEMO_EMAILS.leo, agency: 'partnership', teams: [], roles: ['ANALYST'] },
  { displayName: 'Ruth Adeyemi', email: DEMO_EMAILS.ruth, agency: 'csc', teams: [], roles: ['PRIVACY_OFFICER'] },
  { displayName: 'Chris Morgan', email: DEMO_EMAILS.chris, agency: 'partnership', teams: [], roles: ['SYSTEM_ADMINISTRATOR'] },
  { displayName: 'Dan Hughes', email: DEMO_EMAILS.dan, agency: 'voluntary', teams: [], roles: ['REFERRER'] },
]
