/* The plugin's OpenAPI fragment, merged from one fragment per area */
import billing from './openapi/billing.js'
import gatewayPayments from './openapi/gateway_payments.js'

export default {
  paths: { ...billing.paths, ...gatewayPayments.paths },
  components: { schemas: { ...billing.components.schemas, ...gatewayPayments.components.schemas } },
}
