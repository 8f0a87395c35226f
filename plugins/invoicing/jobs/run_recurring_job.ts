/* invoicing:run_recurring — bills the due periods of the tenant's recurring profiles (scheduled hourly) */
import { runDueProfiles } from '../services/recurring.js'

export default async function runRecurringJob(_payload: { tenantId: number }) {
  await runDueProfiles()
}
