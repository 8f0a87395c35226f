/* Public billing pages on the tenant host: save a card (link mailed to the client), confirm a 3-D Secure charge */
import router from '@adonisjs/core/services/router'

const PublicBilling = () => import('../controllers/public_billing_controller.js')

export default function () {
  router.get('/p/payments/cards/:token', [PublicBilling, 'cards']).as('billing.cards')
  router.post('/p/payments/cards/:token/setup', [PublicBilling, 'setup']).as('billing.cards.setup')
  router.get('/p/payments/authenticate/:token', [PublicBilling, 'authenticate']).as('billing.authenticate')
  router.post('/p/payments/authenticate/:token', [PublicBilling, 'continueToBank']).as('billing.authenticate.continue')
}
