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

export type DemoUser = {
  displayName: string
  email: string
  agency: DemoAgencyKey
  teams: string[]
  roles: Role[]
  training?: { model: string; completedOn: string; expiresOn: string | null }[]
}

export const DEMO_USERS: DemoUser[] = [
  { displayName: 'Priya Shah', email: 'priya.shah@riverside.example', agency: 'school', teams: [], roles: ['REFERRER'] },
  {
    displayName: 'Jo Whitfield',
    email: 'jo.whitfield@northshire.example',
    agency: 'csc',
    teams: ['Front Door (MASH)'],
    roles: ['SOCIAL_WORKER'],
    training: [{ model: 'BROOK_TRAFFIC_LIGHT', completedOn: '2025-09-15', expiresOn: null }],
  },
  {
    displayName: 'Sam Okafor',
    email: 'sam.okafor@northshire.example',
    agency: 'csc',
    teams: ['Assessment Team'],
    roles: ['SOCIAL_WORKER'],
    training: [
      { model: 'BROOK_TRAFFIC_LIGHT', completedOn: '2024-11-04', expiresOn: null },
      { model: 'SIGNS_OF_SAFETY', completedOn: '2023-06-20', expiresOn: null },
    ],
  },
  {
    displayName: 'Helen Marsh',
    email: 'helen.marsh@northshire.example',
    agency: 'csc',
    teams: ['Assessment Team'],
    roles: ['TEAM_MANAGER'],
  },
  {
    displayName: 'Aisha Rahman',
    email: 'aisha.rahman@northshire.example',
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
    email: 'tom.bradley@northshire.example',
    agency: 'csc',
    teams: ['Family Support Team'],
    roles: ['AIM_PRACTITIONER'],
    training: [{ model: 'AIM3', completedOn: '2025-03-10', expiresOn: '2028-03-10' }],
  },
  {
    displayName: 'Kerry Doyle',
    email: 'kerry.doyle@northshire-yos.example',
    agency: 'yos',
    teams: ['Youth Offending Team'],
    roles: ['AIM_PRACTITIONER', 'YOS_OFFICER'],
    training: [{ model: 'AIM3', completedOn: '2023-01-16', expiresOn: '2026-01-16' }],
  },
  {
    displayName: 'Mark Ellis',
    email: 'mark.ellis@northshire-police.example',
    agency: 'police',
    teams: ['Child Protection Unit'],
    roles: ['POLICE_OFFICER'],
  },
  { displayName: 'Fiona Grant', email: 'fiona.grant@northshire.example', agency: 'csc', teams: [], roles: ['HEAD_OF_SERVICE'] },
  {
    displayName: 'Ben Carter',
    email: 'ben.carter@northshire.example',
    agency: 'partnership',
    teams: [],
    roles: ['PARTNERSHIP_BUSINESS_MANAGER'],
  },
  {
    displayName: 'Nadia Hussain',
    email: 'nadia.hussain@northshire-health.example',
    agency: 'health',
    teams: ['School Nursing'],
    roles: ['AGENCY_LEAD', 'LEAD_AUDITOR'],
  },
  { displayName: 'Margaret Osei', email: 'margaret.osei@northshire.example', agency: 'partnership', teams: [], roles: ['BOARD_MEMBER'] },
  { displayName: 'Leo Park', email: 'leo.park@northshire.example', agency: 'partnership', teams: [], roles: ['ANALYST'] },
  { displayName: 'Ruth Adeyemi', email: 'ruth.adeyemi@northshire.example', agency: 'csc', teams: [], roles: ['PRIVACY_OFFICER'] },
  {
    displayName: 'Chris Morgan',
    email: 'chris.morgan@northshire.example',
    agency: 'partnership',
    teams: [],
    roles: ['SYSTEM_ADMINISTRATOR'],
  },
  { displayName: 'Dan Hughes', email: 'dan.hughes@brightpath.example', agency: 'voluntary', teams: [], roles: ['REFERRER'] },
]
