/* /api/v1/gateway-payments: online payments with fee and net, and refunds through the gateway */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const GatewayPaymentsApi = () => import('../controllers/gateway_payments_api_controller.js')

export default function () {
  router.get('/gateway-payments', [GatewayPaymentsApi, 'index']).as('gateway_payments.index').use(middleware.can(['payments.payments.view']))
  router.get('/gateway-payments/:id', [GatewayPaymentsApi, 'show']).as('gateway_payments.show').use(middleware.can(['payments.payments.view']))
  router.post('/gateway-payments/:id/refunds', [GatewayPaymentsApi, 'refund']).as('gateway_payments.refund').use(middleware.can(['payments.payments.refund']))
}
