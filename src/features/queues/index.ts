/** The queues feature's public face. */
export { queuesModule } from './queues.module.js'
export { raiseClockNotifications } from './notifications.service.js'
