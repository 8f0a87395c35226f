/* Staff pages of billing under /app/payments: plans, subscriptions, saved payment methods */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const Billing = () => import('../controllers/billing_controller.js')

export default function () {
  const view = middleware.can(['payments.subscriptions.view'])
  const manage = middleware.can(['payments.subscriptions.manage'])
  const methods = middleware.can(['payments.methods.manage'])
  router.get('/plans', [Billing, 'plans']).as('billing.plans').use(view)
  router.post('/plans', [Billing, 'storePlan']).as('billing.plans.store').use(manage)
  router.post('/plans/:id/archive', [Billing, 'archivePlan']).as('billing.plans.archive').use(manage)
  router.get('/subscriptions', [Billing, 'subscriptions']).as('billing.subscriptions').use(view)
  router.post('/subscriptions', [Billing, 'subscribe']).as('billing.subscriptions.store').use(manage)
  router
    .post('/subscriptions/:id/:action', [Billing, 'action'])
    .where('action', /^(pause|resume|cancel|change-plan)$/)
    .as('billing.subscriptions.action')
    .use(manage)
  router.get('/methods', [Billing, 'methods']).as('billing.methods').use(methods)
  router.post('/methods/:id/detach', [Billing, 'detach']).as('billing.methods.detach').use(methods)
  router.post('/methods/:id/default', [Billing, 'makeDefault']).as('billing.methods.default').use(methods)
  router.post('/clients/:clientId/setup-link', [Billing, 'sendSetupLink']).as('billing.methods.setup_link').use(methods)
}
