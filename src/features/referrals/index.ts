/** The referrals feature's public face. */
export { referralsModule } from './referrals.module.js'
