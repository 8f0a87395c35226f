/* /api/v1/plans and /api/v1/subscriptions (billing part of the payments plugin) */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const Billing = () => import('../controllers/billing_api_controller.js')

export default function () {
  const view = middleware.can(['payments.subscriptions.view'])
  const manage = middleware.can(['payments.subscriptions.manage'])
  const plans = async () => ({ default: (await Billing()).PlansApiController })
  const subs = async () => ({ default: (await Billing()).SubscriptionsApiController })

  router.get('/plans', [plans, 'index']).as('plans.index').use(view)
  router.post('/plans', [plans, 'store']).as('plans.store').use(manage)
  router.get('/plans/:id', [plans, 'show']).as('plans.show').use(view)
  router.patch('/plans/:id', [plans, 'update']).as('plans.update').use(manage)
  router.delete('/plans/:id', [plans, 'destroy']).as('plans.destroy').use(manage)

  router.get('/subscriptions', [subs, 'index']).as('subscriptions.index').use(view)
  router.get('/subscriptions/mrr', [subs, 'mrr']).as('subscriptions.mrr').use(view)
  router.post('/subscriptions', [subs, 'store']).as('subscriptions.store').use(manage)
  router.get('/subscriptions/:id', [subs, 'show']).as('subscriptions.show').use(view)
  router.delete('/subscriptions/:id', [subs, 'destroy']).as('subscriptions.destroy').use(manage)
  router.post('/subscriptions/:id/pause', [subs, 'pause']).as('subscriptions.pause').use(manage)
  router.post('/subscriptions/:id/resume', [subs, 'resume']).as('subscriptions.resume').use(manage)
  router.post('/subscriptions/:id/cancel', [subs, 'cancel']).as('subscriptions.cancel').use(manage)
  router.post('/subscriptions/:id/change-plan', [subs, 'changePlan']).as('subscriptions.change_plan').use(manage)
}
