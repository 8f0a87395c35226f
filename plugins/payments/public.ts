/*
| The payments plugin's service API for other plugins. A gateway plugin (PayPal, GoCardless,
| Mollie, ...) implements `PaymentGateway` and calls `registerGateway` from its boot; Stripe and
| the offline methods (bank transfer, cash, cheque) are registered the same way.
*/
export interface GatewayCapabilities {
  /** the client pays through the gateway (a redirect); offline methods are recorded by staff */
  online: boolean
  refunds: boolean
  partialPayments: boolean
}

export interface CreatePaymentInput {
  tenantId: number
  invoiceId: number
  /** minor units */
  amount: number
  successUrl: string
  cancelUrl: string
}

export interface RefundGatewayInput {
  tenantId: number
  /** the gateway's payment reference (for Stripe: the PaymentIntent id) */
  reference: string
  amount: number
  /** stable per refund request: a retry of the same request must not refund twice */
  requestToken: string
}

export interface PaymentGateway {
  id: string
  /** i18n key */
  label: string
  capabilities: GatewayCapabilities
  /** the invoicing ledger method offline payments are recorded with */
  ledgerMethod?: 'bank_transfer' | 'cash' | 'cheque' | 'card' | 'other'
  isAvailable(tenantId: number): Promise<boolean>
  createPayment?(input: CreatePaymentInput): Promise<{ redirectUrl: string; reference: string }>
  refund?(input: RefundGatewayInput): Promise<{ reference: string }>
}

const gateways = new Map<string, PaymentGateway>()

export function registerGateway(gateway: PaymentGateway) {
  gateways.set(gateway.id, gateway)
}

export function gateway(id: string) {
  return gateways.get(id) ?? null
}

export function listGateways() {
  return [...gateways.values()]
}

/** Gateways the tenant can use now (e.g. Stripe only once its keys are saved) */
export async function availableGateways(tenantId: number) {
  const out: PaymentGateway[] = []
  for (const g of gateways.values()) if (await g.isAvailable(tenantId)) out.push(g)
  return out
}
