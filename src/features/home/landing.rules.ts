import type { Role } from '../../platform/access/roles.js'

/**
 * Each role lands on a page fit for it. A person with several roles lands on the page of the
 * first role in this order (the one closest to children's day-to-day work).
 */
export type Landing = { key: string; heading: string; description: string; redirect?: string }

const LANDINGS: [Role, Landing][] = [
  ['SYSTEM_ADMINISTRATOR', { key: 'admin', heading: 'Users and organisations', description: '', redirect: '/admin/users' }],
  // Case roles land on their work queue, which shows this heading (see queues.presenter.ts).
  [
    'SOCIAL_WORKER',
    { key: 'my-work', heading: 'My work', description: 'Children allocated to you, your screenings and your meetings.', redirect: '/work' },
  ],
  [
    'TEAM_MANAGER',
    {
      key: 'team-work',
      heading: 'My team’s work',
      description: 'Your team’s children and their timescales. Screenings waiting for your oversight are in the front door queue.',
      redirect: '/work/team',
    },
  ],
  [
    'HSB_LEAD',
    {
      key: 'hsb-overview',
      heading: 'HSB overview',
      description: 'Every child on the HSB pathway in the partnership, AIM decisions and meetings you chair.',
      redirect: '/work/hsb-overview',
    },
  ],
  [
    'AIM_PRACTITIONER',
    { key: 'assessments', heading: 'My assessments', description: 'AIM assessments where you are a co-assessor.', redirect: '/work' },
  ],
  [
    'POLICE_OFFICER',
    { key: 'my-work', heading: 'My work', description: 'Children and meetings you have been invited to.', redirect: '/work' },
  ],
  [
    'YOS_OFFICER',
    {
      key: 'my-work',
      heading: 'My work',
      description: 'Children and meetings you have been invited to, and AIM assessments on the criminal route.',
      redirect: '/work',
    },
  ],
  [
    'HEAD_OF_SERVICE',
    {
      key: 'service-overview',
      heading: 'Service overview',
      description: 'Requests to convene the HSB panel, and your service’s children.',
      redirect: '/work/hsb-overview',
    },
  ],
  [
    'REFERRER',
    {
      key: 'requests',
      heading: 'Your requests for support',
      description: 'Requests for support you have raised and what happened next.',
      redirect: '/requests',
    },
  ],
  [
    'PARTNERSHIP_BUSINESS_MANAGER',
    {
      key: 'learning',
      heading: 'Learning and improvement',
      description: 'Review action plans, multi-agency case audits and board reports.',
    },
  ],
  [
    'AGENCY_LEAD',
    {
      key: 'agency-actions',
      heading: 'Your agency’s actions',
      description: 'Actions from reviews and audits that your agency leads, and their progress.',
    },
  ],
  ['LEAD_AUDITOR', { key: 'audits', heading: 'Case audits', description: 'Multi-agency case audits you are auditing for your agency.' }],
  // Board members and analysts land on the dashboard, which shows this heading (see insight/views/dashboard.njk).
  [
    'BOARD_MEMBER',
    {
      key: 'board',
      heading: 'HSB service dashboard',
      description: 'How the partnership is doing: dashboards and board reports. No child can be identified here.',
      redirect: '/insight',
    },
  ],
  [
    'ANALYST',
    {
      key: 'insight',
      heading: 'HSB service dashboard',
      description: 'Aggregated figures for the partnership. No child can be identified here.',
      redirect: '/insight',
    },
  ],
  [
    'PRIVACY_OFFICER',
    {
      key: 'privacy',
      heading: 'Records access',
      description: 'Who has seen or changed a record, and the alerts their reads raised.',
      // The privacy officer's workspace (features/privacy) shows how many alerts are waiting.
      redirect: '/privacy/overview',
    },
  ],
]

export function landingFor(roles: readonly Role[]): Landing {
  for (const [role, landing] of LANDINGS) {
    if (roles.includes(role)) return landing
  }
  return { key: 'none', heading: 'No role yet', description: 'You have no role yet. Ask your system administrator to give you one.' }
}
