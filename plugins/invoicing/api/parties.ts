/* /api/v1/clients, /contacts, /products, /tax-rates */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ClientsApiController = () => import('../controllers/clients_api_controller.js')
const ContactsApiController = () => import('../controllers/contacts_api_controller.js')
const ProductsApiController = () => import('../controllers/products_api_controller.js')
const TaxRatesApiController = () => import('../controllers/tax_rates_api_controller.js')
const RecurringApiController = () => import('../controllers/recurring_profiles_api_controller.js')

export default function () {
  const viewClients = middleware.can(['invoicing.clients.view'])
  const manageClients = middleware.can(['invoicing.clients.manage'])
  const viewCatalogue = middleware.can(['invoicing.catalogue.view'])
  const manageCatalogue = middleware.can(['invoicing.catalogue.manage'])

  router.get('/clients', [ClientsApiController, 'index']).as('clients.index').use(viewClients)
  router.post('/clients', [ClientsApiController, 'store']).as('clients.store').use(manageClients)
  router.post('/clients/merge', [ClientsApiController, 'merge']).as('clients.merge').use(manageClients)
  router.get('/clients/:id', [ClientsApiController, 'show']).as('clients.show').use(viewClients)
  router.patch('/clients/:id', [ClientsApiController, 'update']).as('clients.update').use(manageClients)
  router.delete('/clients/:id', [ClientsApiController, 'destroy']).as('clients.destroy').use(manageClients)
  router.post('/clients/:id/restore', [ClientsApiController, 'restore']).as('clients.restore').use(manageClients)
  router.get('/clients/:id/contacts', [ContactsApiController, 'index']).as('clients.contacts.index').use(viewClients)
  router.post('/clients/:id/contacts', [ContactsApiController, 'store']).as('clients.contacts.store').use(manageClients)

  router.get('/contacts', [ContactsApiController, 'index']).as('contacts.index').use(viewClients)
  router.post('/contacts', [ContactsApiController, 'store']).as('contacts.store').use(manageClients)
  router.get('/contacts/:id', [ContactsApiController, 'show']).as('contacts.show').use(viewClients)
  router.patch('/contacts/:id', [ContactsApiController, 'update']).as('contacts.update').use(manageClients)
  router.delete('/contacts/:id', [ContactsApiController, 'destroy']).as('contacts.destroy').use(manageClients)

  router.get('/products', [ProductsApiController, 'index']).as('products.index').use(viewCatalogue)
  router.post('/products', [ProductsApiController, 'store']).as('products.store').use(manageCatalogue)
  router.get('/products/:id', [ProductsApiController, 'show']).as('products.show').use(viewCatalogue)
  router.patch('/products/:id', [ProductsApiController, 'update']).as('products.update').use(manageCatalogue)
  router.delete('/products/:id', [ProductsApiController, 'destroy']).as('products.destroy').use(manageCatalogue)

  router.get('/tax-rates', [TaxRatesApiController, 'index']).as('tax_rates.index').use(viewCatalogue)
  router.post('/tax-rates', [TaxRatesApiController, 'store']).as('tax_rates.store').use(manageCatalogue)
  router.get('/tax-rates/:id', [TaxRatesApiController, 'show']).as('tax_rates.show').use(viewCatalogue)
  router.patch('/tax-rates/:id', [TaxRatesApiController, 'update']).as('tax_rates.update').use(manageCatalogue)
  router.delete('/tax-rates/:id', [TaxRatesApiController, 'destroy']).as('tax_rates.destroy').use(manageCatalogue)

  const viewDocuments = middleware.can(['invoicing.documents.view'])
  const manageDocuments = middleware.can(['invoicing.documents.manage'])
  router.get('/recurring-invoices', [RecurringApiController, 'index']).as('recurring.index').use(viewDocuments)
  router.post('/recurring-invoices', [RecurringApiController, 'store']).as('recurring.store').use(manageDocuments)
  router.get('/recurring-invoices/:id', [RecurringApiController, 'show']).as('recurring.show').use(viewDocuments)
  router.patch('/recurring-invoices/:id', [RecurringApiController, 'update']).as('recurring.update').use(manageDocuments)
  router.delete('/recurring-invoices/:id', [RecurringApiController, 'destroy']).as('recurring.destroy').use(manageDocuments)
  router.post('/recurring-invoices/:id/pause', [RecurringApiController, 'pause']).as('recurring.pause').use(manageDocuments)
  router.post('/recurring-invoices/:id/resume', [RecurringApiController, 'resume']).as('recurring.resume').use(manageDocuments)
  router.post('/recurring-invoices/:id/run', [RecurringApiController, 'run']).as('recurring.run').use(manageDocuments)
}
