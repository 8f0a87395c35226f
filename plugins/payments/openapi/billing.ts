/* OpenAPI fragment of /api/v1/plans and /api/v1/subscriptions (amounts in integer minor units) */
import { PLAN_INTERVALS } from '../models/plan.js'
import { plansListing, subscriptionsListing } from '../services/subscriptions.js'

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` })
const json = (schema: unknown) => ({ 'application/json': { schema } })
const one = (name: string) => json({ type: 'object', required: ['data'], properties: { data: ref('schemas', name) } })
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }
const errors = { '401': ref('responses', 'Unauthorized'), '403': ref('responses', 'Forbidden'), '404': ref('responses', 'NotFound') }
const invalid = { '422': ref('responses', 'ValidationFailed') }
const conflict = { '409': { description: 'Not possible in the current state (problem+json, e.g. E_SUBSCRIPTION_STATE, E_PLAN_IN_USE)', content: { 'application/problem+json': { schema: { type: 'object' } } } } }
const minor = { type: 'integer', minimum: 0, description: 'Integer minor units of the currency' }
const date = { type: 'string', format: 'date' }
const nullableDate = { type: ['string', 'null'], format: 'date' }

function list(operationId: string, summary: string, schema: string, sorts: string[], filters: unknown[]) {
  return {
    tags: ['Subscriptions'],
    operationId,
    summary,
    parameters: [ref('parameters', 'Limit'), ref('parameters', 'Cursor'), { name: 'sort', in: 'query', description: 'A leading "-" sorts descending', schema: { type: 'string', enum: sorts } }, ...filters],
    responses: {
      '200': {
        description: 'One page',
        headers: { Link: ref('headers', 'Link') },
        content: json({ type: 'object', required: ['data', 'next_cursor'], properties: { data: { type: 'array', items: ref('schemas', schema) }, next_cursor: { type: ['string', 'null'] } } }),
      },
      ...errors,
      ...invalid,
    },
  }
}

const action = (operationId: string, summary: string, body?: unknown) => ({
  post: {
    tags: ['Subscriptions'],
    operationId,
    summary,
    parameters: [idParam],
    ...(body ? { requestBody: { required: false, content: json(body) } } : {}),
    responses: { '200': { description: 'The subscription', content: one('Subscription') }, ...errors, ...invalid, ...conflict },
  },
})

const planFields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  price: minor,
  currency: { type: 'string', pattern: '^[A-Za-z]{3}$', description: 'ISO 4217' },
  interval: { type: 'string', enum: PLAN_INTERVALS },
  interval_count: { type: 'integer', minimum: 1, maximum: 52, description: 'week: any; month: 1, 3 or 12; year: 1' },
  trial_days: { type: 'integer', minimum: 0, maximum: 730 },
  setup_fee: { ...minor, description: 'Invoiced and charged once on subscribing' },
}

export default {
  paths: {
    '/plans': {
      get: list('paymentsListPlans', 'Service plans', 'Plan', plansListing.sortValues, [
        { name: 'archived', in: 'query', schema: { type: 'boolean' } },
        { name: 'currency', in: 'query', schema: { type: 'string' } },
      ]),
      post: {
        tags: ['Subscriptions'],
        operationId: 'paymentsCreatePlan',
        summary: 'Create a plan',
        requestBody: { required: true, content: json(ref('schemas', 'PlanInput')) },
        responses: { '201': { description: 'The new plan', content: one('Plan') }, ...errors, ...invalid },
      },
    },
    '/plans/{id}': {
      get: { tags: ['Subscriptions'], operationId: 'paymentsShowPlan', summary: 'One plan', parameters: [idParam], responses: { '200': { description: 'Plan', content: one('Plan') }, ...errors } },
      patch: {
        tags: ['Subscriptions'],
        operationId: 'paymentsUpdatePlan',
        summary: 'Change a plan (price changes reach existing subscriptions at their next plan change); archive with archived=true',
        parameters: [idParam],
        requestBody: { required: true, content: json(ref('schemas', 'PlanPatch')) },
        responses: { '200': { description: 'The plan', content: one('Plan') }, ...errors, ...invalid },
      },
      delete: { tags: ['Subscriptions'], operationId: 'paymentsDeletePlan', summary: 'Delete a plan without subscriptions', parameters: [idParam], responses: { '204': { description: 'Done' }, ...errors, ...conflict } },
    },
    '/subscriptions': {
      get: list('paymentsListSubscriptions', 'Subscriptions', 'Subscription', subscriptionsListing.sortValues, [
        { name: 'status', in: 'query', schema: { type: 'string', enum: ['trialing', 'active', 'paused', 'canceled'] } },
        { name: 'plan_id', in: 'query', schema: { type: 'integer' } },
        { name: 'client_id', in: 'query', schema: { type: 'integer' } },
      ]),
      post: {
        tags: ['Subscriptions'],
        operationId: 'paymentsCreateSubscription',
        summary: 'Subscribe a client to a plan: creates the recurring invoice profile (first billed day after the trial) and invoices the setup fee',
        requestBody: { required: true, content: json({ type: 'object', required: ['client_id', 'plan_id'], properties: { client_id: { type: 'integer' }, plan_id: { type: 'integer' }, start_on: nullableDate } }) },
        responses: { '201': { description: 'The subscription', content: one('Subscription') }, ...errors, ...invalid },
      },
    },
    '/subscriptions/mrr': {
      get: {
        tags: ['Subscriptions'],
        operationId: 'paymentsSubscriptionsMrr',
        summary: 'Monthly recurring revenue per plan and per currency (week ×52/12, year /12, per interval count)',
        responses: { '200': { description: 'MRR', content: json({ type: 'object', properties: { data: ref('schemas', 'Mrr') } }) }, ...errors },
      },
    },
    '/subscriptions/{id}': {
      get: { tags: ['Subscriptions'], operationId: 'paymentsShowSubscription', summary: 'One subscription', parameters: [idParam], responses: { '200': { description: 'Subscription', content: one('Subscription') }, ...errors } },
      delete: { tags: ['Subscriptions'], operationId: 'paymentsCancelSubscriptionNow', summary: 'Cancel now (the recurring profile ends)', parameters: [idParam], responses: { '200': { description: 'The subscription', content: one('Subscription') }, ...errors, ...conflict } },
    },
    '/subscriptions/{id}/pause': action('paymentsPauseSubscription', 'Pause: no invoices until resumed'),
    '/subscriptions/{id}/resume': action('paymentsResumeSubscription', 'Resume a paused subscription'),
    '/subscriptions/{id}/cancel': action('paymentsCancelSubscription', 'Cancel now, or at the end of the current period with at_period_end=true', { type: 'object', properties: { at_period_end: { type: 'boolean' } } }),
    '/subscriptions/{id}/change-plan': {
      post: {
        tags: ['Subscriptions'],
        operationId: 'paymentsChangeSubscriptionPlan',
        summary:
          'Upgrade or downgrade (same currency and interval). Proration: unused days of the old plan are credited and the rest of the period on the new plan charged (price × remaining/period days, rounded half away from zero); the difference is one invoice (charged off-session) or one credit note',
        parameters: [idParam],
        requestBody: { required: true, content: json({ type: 'object', required: ['plan_id'], properties: { plan_id: { type: 'integer' } } }) },
        responses: {
          '200': { description: 'The subscription and the proration', content: json({ type: 'object', properties: { data: ref('schemas', 'Subscription'), proration: { oneOf: [ref('schemas', 'Proration'), { type: 'null' }] } } }) },
          ...errors,
          ...invalid,
          ...conflict,
        },
      },
    },
  } as Record<string, unknown>,
  components: {
    schemas: {
      Plan: { type: 'object', properties: { id: { type: 'integer', readOnly: true }, ...planFields, monthly_amount: { ...minor, readOnly: true }, archived: { type: 'boolean' }, created_at: { type: 'string', format: 'date-time', readOnly: true } } },
      PlanInput: { type: 'object', required: ['name', 'price', 'currency', 'interval'], properties: planFields },
      PlanPatch: { type: 'object', properties: { ...planFields, archived: { type: 'boolean' } } },
      Subscription: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          client_id: { type: 'integer' },
          plan_id: { type: 'integer' },
          status: { type: 'string', enum: ['trialing', 'active', 'paused', 'canceled'] },
          anchor_on: date,
          trial_ends_on: nullableDate,
          current_period_start: nullableDate,
          current_period_end: { ...nullableDate, description: 'Exclusive' },
          cancel_at_period_end: { type: 'boolean' },
          ends_on: nullableDate,
          canceled_at: { type: ['string', 'null'], format: 'date-time' },
          recurring_profile_id: { type: ['integer', 'null'] },
          created_at: { type: 'string', format: 'date-time' },
        },
      },
      Proration: {
        type: 'object',
        properties: {
          periodStart: date,
          periodEnd: date,
          periodDays: { type: 'integer' },
          remainingDays: { type: 'integer' },
          credit: minor,
          charge: minor,
          net: { type: 'integer' },
          document_id: { type: ['integer', 'null'] },
          document_type: { type: ['string', 'null'], enum: ['invoice', 'credit_note', null] },
        },
      },
      Mrr: {
        type: 'object',
        properties: {
          plans: { type: 'array', items: { type: 'object', properties: { plan_id: { type: 'integer' }, plan_name: { type: 'string' }, currency: { type: 'string' }, subscriptions: { type: 'integer' }, monthly_amount: minor, mrr: minor } } },
          totals: { type: 'array', items: { type: 'object', properties: { currency: { type: 'string' }, mrr: minor } } },
        },
      },
    },
  },
}
