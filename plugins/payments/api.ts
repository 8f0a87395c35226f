/* API routes of the payments plugin under /api/v1, one file per area */
import billing from './api/billing.js'
import gatewayPayments from './api/gateway_payments.js'

export default function () {
  billing()
  gatewayPayments()
}
