import type { Executor } from '../../platform/db/transaction.js'
import type { PlanFileKind } from './plan-import.files.js'

/** SQL only: the uploaded plans kept between their preview and their confirmation. Row-level security scopes them to the partnership. */
export function planImportRepository() {
  return {
    async findUpload(db: Executor, reviewId: string, uploadId: string) {
      return db
        .selectFrom('actionPlanUpload')
        .select(['id', 'content', 'fileKind', 'expiresAt'])
        .where('id', '=', uploadId)
        .where('reviewId', '=', reviewId)
        .executeTakeFirst()
    },

    async deleteExpired(db: Executor, at: Date): Promise<void> {
      await db.deleteFrom('actionPlanUpload').where('expiresAt', '<', at).execute()
    },

    async insertUpload(
      db: Executor,
      v: {
        partnershipId: string
        reviewId: string
        uploadedBy: string
        fileKind: PlanFileKind
        sizeBytes: number
        sha256: string
        content: Buffer
        expiresAt: Date
      },
    ): Promise<string> {
      return (await db.insertInto('actionPlanUpload').values(v).returning('id').executeTakeFirstOrThrow()).id
    },

    async deleteUpload(db: Executor, uploadId: string): Promise<void> {
      await db.deleteFrom('actionPlanUpload').where('id', '=', uploadId).execute()
    },
  }
}
