/** Subject access requests' public face: the module, and the form readers the demo seed fills in as a person would. */
export { subjectAccessModule, type SubjectAccessModule } from './subject-access.module.js'
export { readRedactionForm, readRequestForm } from './subject-access.form.js'
export type { SubjectAccessService } from './subject-access.service.js'
