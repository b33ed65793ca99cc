/** The admin feature's public face. */
export { TRAINING_MODELS, type TrainingModel } from './admin.form.js'
