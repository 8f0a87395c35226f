/* Pages of the parties area: clients (with contacts, import, merge), products and tax rates */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const ClientsController = () => import('../controllers/clients_controller.js')
const ContactsController = () => import('../controllers/contacts_controller.js')
const ClientImportsController = () => import('../controllers/client_imports_controller.js')
const ProductsController = () => import('../controllers/products_controller.js')
const TaxRatesController = () => import('../controllers/tax_rates_controller.js')

export default function () {
  const viewClients = middleware.can(['invoicing.clients.view'])
  const manageClients = middleware.can(['invoicing.clients.manage'])
  const viewCatalogue = middleware.can(['invoicing.catalogue.view'])
  const manageCatalogue = middleware.can(['invoicing.catalogue.manage'])

  router.get('/clients', [ClientsController, 'index']).as('clients.index').use(viewClients)
  router.get('/clients/new', [ClientsController, 'create']).as('clients.create').use(manageClients)
  router.post('/clients', [ClientsController, 'store']).as('clients.store').use(manageClients)
  router.get('/clients/import', [ClientImportsController, 'create']).as('clients.import').use(manageClients)
  router.post('/clients/import/preview', [ClientImportsController, 'preview']).as('clients.import_preview').use(manageClients)
  router.post('/clients/import', [ClientImportsController, 'store']).as('clients.import_store').use(manageClients)
  router.get('/clients/merge', [ClientsController, 'mergeForm']).as('clients.merge_form').use(manageClients)
  router.post('/clients/merge', [ClientsController, 'merge']).as('clients.merge').use(manageClients)
  router.get('/clients/:id', [ClientsController, 'show']).as('clients.show').use(viewClients)
  router.get('/clients/:id/edit', [ClientsController, 'edit']).as('clients.edit').use(manageClients)
  router.post('/clients/:id', [ClientsController, 'update']).as('clients.update').use(manageClients)
  router.post('/clients/:id/archive', [ClientsController, 'archive']).as('clients.archive').use(manageClients)
  router.post('/clients/:id/restore', [ClientsController, 'restore']).as('clients.restore').use(manageClients)
  router.post('/clients/:id/contacts', [ContactsController, 'store']).as('contacts.store').use(manageClients)
  router.get('/clients/:id/contacts/:contactId/edit', [ContactsController, 'edit']).as('contacts.edit').use(manageClients)
  router.post('/clients/:id/contacts/:contactId', [ContactsController, 'update']).as('contacts.update').use(manageClients)
  router.post('/clients/:id/contacts/:contactId/delete', [ContactsController, 'destroy']).as('contacts.destroy').use(manageClients)

  router.get('/products', [ProductsController, 'index']).as('products.index').use(viewCatalogue)
  router.get('/products/new', [ProductsController, 'create']).as('products.create').use(manageCatalogue)
  router.post('/products', [ProductsController, 'store']).as('products.store').use(manageCatalogue)
  router.get('/products/:id/edit', [ProductsController, 'edit']).as('products.edit').use(manageCatalogue)
  router.post('/products/:id', [ProductsController, 'update']).as('products.update').use(manageCatalogue)
  router.post('/products/:id/archive', [ProductsController, 'archive']).as('products.archive').use(manageCatalogue)
  router.post('/products/:id/restore', [ProductsController, 'restore']).as('products.restore').use(manageCatalogue)

  router.get('/tax-rates', [TaxRatesController, 'index']).as('tax_rates.index').use(viewCatalogue)
  router.get('/tax-rates/new', [TaxRatesController, 'create']).as('tax_rates.create').use(manageCatalogue)
  router.post('/tax-rates', [TaxRatesController, 'store']).as('tax_rates.store').use(manageCatalogue)
  router.get('/tax-rates/:id/edit', [TaxRatesController, 'edit']).as('tax_rates.edit').use(manageCatalogue)
  router.post('/tax-rates/:id', [TaxRatesController, 'update']).as('tax_rates.update').use(manageCatalogue)
  router.post('/tax-rates/:id/archive', [TaxRatesController, 'archive']).as('tax_rates.archive').use(manageCatalogue)
  router.post('/tax-rates/:id/restore', [TaxRatesController, 'restore']).as('tax_rates.restore').use(manageCatalogue)
}
