import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import billing from './routes/billing.js'

const SettingsController = () => import('./controllers/stripe_settings_controller.js')
const EventsController = () => import('./controllers/stripe_events_controller.js')
const PaymentsController = () => import('./controllers/payments_controller.js')

export default function () {
  const manage = middleware.can(['payments.settings.manage'])
  router.get('/settings', [SettingsController, 'edit']).as('settings.edit').use(manage)
  router.post('/settings', [SettingsController, 'update']).as('settings.update').use(manage)
  router.post('/settings/check', [SettingsController, 'check']).as('settings.check').use(manage)

  router.get('/events', [EventsController, 'index']).as('events.index').use(middleware.can(['payments.events.view']))
  router.get('/events/:id', [EventsController, 'show']).as('events.show').use(middleware.can(['payments.events.view']))
  router.post('/events/:id/reprocess', [EventsController, 'reprocess']).as('events.reprocess').use(middleware.can(['payments.events.manage']))

  router.get('/payments.csv', [PaymentsController, 'csv']).as('payments.csv').use(middleware.can(['payments.payments.view']))
  router.get('/payments', [PaymentsController, 'index']).as('payments.index').use(middleware.can(['payments.payments.view']))
  router.post('/payments/:id/refund', [PaymentsController, 'refund']).as('payments.refund').use(middleware.can(['payments.payments.refund']))
  billing()
}
