import router from '@adonisjs/core/services/router'
import billingPublic from './routes/billing_public.js'

const WebhooksController = () => import('./controllers/stripe_webhooks_controller.js')
const PayController = () => import('./controllers/public_pay_controller.js')

export default function () {
  router.post('/webhooks/stripe', [WebhooksController, 'handle']).as('webhooks.stripe')
  router.post('/p/payments/invoices/:token/pay', [PayController, 'pay']).as('pay')
  billingPublic()
}
