/* The plugin's OpenAPI fragment, merged from one fragment per area */
import parties from './openapi/parties.js'
import documents from './openapi/documents.js'

export default {
  paths: { ...parties.paths, ...documents.paths },
  components: { schemas: { ...parties.components?.schemas, ...documents.components?.schemas } },
}
