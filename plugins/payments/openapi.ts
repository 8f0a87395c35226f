/* The plugin's OpenAPI fragment, merged from one fragment per area */
import billing from './openapi/billing.js'

export default {
  paths: { ...billing.paths },
  components: { schemas: { ...billing.components.schemas } },
}
