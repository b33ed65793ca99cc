/** The admin feature's public face. */
export { adminModule } from './admin.module.js'
export { TRAINING_MODELS, type TrainingModel } from './admin.form.js'
export type { AdminActor, CreateUserCommand } from './admin.service.js'
