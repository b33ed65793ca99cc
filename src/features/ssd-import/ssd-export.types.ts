/** One child and their HSB episodes, as the SSD export (CSV files and the DfE API payload) reads them. */
export type ExportChild = {
  personId: string // the council's person id if known, else our child id
  givenNames: string
  familyName: string
  dateOfBirth: string /* YYYY-MM-DD */
  gender: string | null // our stored values: read src/features/children/*.ts for them
  ethnicity: string | null // DfE 4-letter codes or null
  nhsNumber: string | null
  upn: string | null
  episodes: ExportEpisode[]
}
export type ExportEpisode = {
  referralId: string
  referralDate: string /* ISO instant */
  referralSource: string | null
  closeDate: string | null
  closeReason: string | null
  strategyDiscussions: { id: string; date: string; outcome: string | null }[] // s47
  assessments: { id: string; startDate: string; completedDate: string | null; factors: string[] }[]
  conferences: { id: string; date: string; outcome: string | null }[]
  involvements: {
    id: string
    professionalId: string | null
    professionalName: string | null
    team: string | null
    agency: string
    startDate: string
    endDate: string | null
  }[]
}
