/* Billing domain errors (saved methods, plans, subscriptions): a stable code for the API, an i18n key for the UI */
import { DomainError } from '#exceptions/domain_errors'

export class NoPaymentMethodError extends DomainError {
  constructor() {
    super('The client has no saved payment method', { code: 'E_NO_PAYMENT_METHOD', status: 409, messageKey: 'payments_billing.errors.no_method' })
  }
}

export class SubscriptionStateError extends DomainError {
  constructor(message: string) {
    super(message, { code: 'E_SUBSCRIPTION_STATE', status: 409, messageKey: 'payments_billing.errors.subscription_state' })
  }
}

export class PlanInUseError extends DomainError {
  constructor() {
    super('The plan has subscriptions; archive it instead', { code: 'E_PLAN_IN_USE', status: 409, messageKey: 'payments_billing.errors.plan_in_use' })
  }
}
