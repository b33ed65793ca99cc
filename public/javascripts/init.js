import { initAll } from '/assets/javascripts/govuk-frontend.min.js'
initAll()
