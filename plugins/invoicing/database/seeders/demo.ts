/* Demo data of the invoicing plugin for the demo tenant (run by database/seeders/main_seeder.ts) */
import type Tenant from '#models/tenant'
import TaxRate from '../../models/tax_rate.js'
import { addContact, createClient } from '../../services/clients.js'
import { createProduct } from '../../services/catalogue.js'

export async function seedDemo(_tenant: Tenant) {
  const standard = await TaxRate.query().where('is_default', true).first()
  const nordlicht = await createClient({
    kind: 'company',
    name: 'Nordlicht Design GmbH',
    email: 'buchhaltung@nordlicht.example',
    phone: '+49 40 555 0101',
    vat_id: 'DE287654321',
    currency: 'EUR',
    language: 'de',
    payment_terms_days: 14,
    address_line1: 'Speicherstadt 12',
    postal_code: '20457',
    city: 'Hamburg',
    country: 'DE',
  })
  await addContact(nordlicht, { first_name: 'Jana', last_name: 'Petersen', email: 'jana@nordlicht.example', role: 'Head of Finance', is_primary: true })
  await addContact(nordlicht, { first_name: 'Malte', last_name: 'Hansen', email: 'malte@nordlicht.example', role: 'Art Director' })
  const harbour = await createClient({
    kind: 'company',
    name: 'Harbour & Co. Ltd',
    email: 'accounts@harbour.example',
    vat_id: 'IE6388047V',
    currency: 'EUR',
    language: 'en',
    payment_terms_days: 30,
    address_line1: '4 Grand Canal Quay',
    postal_code: 'D02',
    city: 'Dublin',
    country: 'IE',
  })
  await addContact(harbour, { first_name: 'Siobhan', last_name: 'Murphy', email: 'siobhan@harbour.example', role: 'Procurement' })
  await createClient({
    kind: 'individual',
    name: 'Lena Vogel',
    email: 'lena.vogel@example.com',
    currency: 'EUR',
    language: 'de',
    address_line1: 'Lindenallee 3',
    postal_code: '50668',
    city: 'Köln',
    country: 'DE',
  })
  await createClient({ kind: 'company', name: 'Sakura Studio KK', email: 'info@sakura.example', currency: 'JPY', language: 'en', city: 'Tokyo', country: 'JP' })

  const products = [
    { name: 'Design consulting', sku: 'CONS-H', unit: 'HUR', unit_price: 12000 },
    { name: 'Workshop day', sku: 'WS-DAY', unit: 'DAY', unit_price: 95000 },
    { name: 'Website maintenance (monthly)', sku: 'MAINT-M', unit: 'MON', unit_price: 49000 },
    { name: 'Logo package', sku: 'LOGO', unit: 'C62', unit_price: 180000 },
  ]
  for (const p of products) {
    await createProduct({ ...p, currency: 'EUR', tax_rate_id: standard?.id ?? null })
  }
}
