/* The gateways this plugin brings: Stripe (online) and the offline methods */
import { registerGateway, type PaymentGateway } from '../public.js'
import { createCheckout, refundStripePayment } from './stripe_payments.js'
import { accountFor } from './stripe_client.js'
import GatewayPayment from '../models/gateway_payment.js'
import { NotFoundError } from '#exceptions/domain_errors'

export const stripeGateway: PaymentGateway = {
  id: 'stripe',
  label: 'payments.gateways.stripe',
  capabilities: { online: true, refunds: true, partialPayments: true },
  async isAvailable(tenantId) {
    return Boolean((await accountFor(tenantId))?.configured)
  },
  async createPayment(input) {
    const session = await createCheckout(input.tenantId, input.invoiceId, input.amount, { success: input.successUrl, cancel: input.cancelUrl })
    return { redirectUrl: session.url!, reference: session.sessionId }
  },
  async refund(input) {
    const payment = await GatewayPayment.forTenant(input.tenantId).where({ gateway: 'stripe', reference: input.reference }).first()
    if (!payment) throw new NotFoundError()
    const refund = await refundStripePayment(payment, input.amount, input.requestToken)
    return { reference: refund.refundId }
  },
}

function offline(id: 'bank_transfer' | 'cash' | 'cheque'): PaymentGateway {
  return {
    id,
    label: `payments.gateways.${id}`,
    capabilities: { online: false, refunds: false, partialPayments: true },
    ledgerMethod: id,
    async isAvailable() {
      return true
    },
  }
}

export function registerBuiltInGateways() {
  for (const gateway of [stripeGateway, offline('bank_transfer'), offline('cash'), offline('cheque')]) registerGateway(gateway)
}
