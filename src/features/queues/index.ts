/** The queues feature's public face. */
export { queuesModule } from './queues.module.js'
export { raiseClockNotifications } from './notifications.service.js'
/** Paging a list (to move to platform/http: the admin's list of people pages the same way). */
export { paginationFor, summaryFor } from './queues.presenter.js'
export { pageFrom } from './queues.rules.js'
