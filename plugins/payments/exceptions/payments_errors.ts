/* Payments domain errors: a stable code for the API, an i18n key for the UI */
import { DomainError } from '#exceptions/domain_errors'

export class StripeNotConfiguredError extends DomainError {
  constructor() {
    super('Stripe is not configured for this tenant', { code: 'E_STRIPE_NOT_CONFIGURED', status: 409, messageKey: 'payments.errors.not_configured' })
  }
}

export class StripeCallError extends DomainError {
  constructor(message: string) {
    super(message, { code: 'E_STRIPE_CALL_FAILED', status: 502, messageKey: 'payments.errors.stripe_failed' })
  }
}

export class PaymentNotPayableError extends DomainError {
  constructor() {
    super('This invoice cannot be paid online', { code: 'E_NOT_PAYABLE', status: 409, messageKey: 'payments.errors.not_payable' })
  }
}

export class RefundTooLargeError extends DomainError {
  constructor() {
    super('The refund is larger than what is left of the payment', { code: 'E_REFUND_TOO_LARGE', status: 422, messageKey: 'payments.errors.refund_too_large' })
  }
}
