/*
| A tenant's account policy: idle and absolute session timeouts and the minimum password length.
| A tenant without a saved row gets the defaults. Changes are audited.
*/
import TenantAccountPolicy from '#models/tenant_account_policy'
import { DEFAULT_MIN_LENGTH, MAX_LENGTH } from '#services/password_policy'
import { audit, diff } from '#services/audit_service'

export interface AccountPolicy {
  idleTimeoutMinutes: number
  absoluteTimeoutMinutes: number
  passwordMinLength: number
}

export const DEFAULT_POLICY: AccountPolicy = {
  idleTimeoutMinutes: 120,
  absoluteTimeoutMinutes: 7 * 24 * 60,
  passwordMinLength: DEFAULT_MIN_LENGTH,
}

/*
| Bounds of the settings form. The idle limit stays within the session store's own lifetime
| (config/session.ts `age`), which ends an untouched session anyway.
*/
export const POLICY_BOUNDS = {
  idleTimeoutMinutes: { min: 5, max: 24 * 60 },
  absoluteTimeoutMinutes: { min: 60, max: 90 * 24 * 60 },
  passwordMinLength: { min: DEFAULT_MIN_LENGTH, max: Math.min(64, MAX_LENGTH) },
} as const

export async function accountPolicyOf(tenantId: number): Promise<AccountPolicy> {
  const row = await TenantAccountPolicy.forTenant(tenantId).first()
  if (!row) return { ...DEFAULT_POLICY }
  return {
    idleTimeoutMinutes: row.idleTimeoutMinutes,
    absoluteTimeoutMinutes: row.absoluteTimeoutMinutes,
    passwordMinLength: row.passwordMinLength,
  }
}

export async function updateAccountPolicy(tenantId: number, input: AccountPolicy) {
  const before = await accountPolicyOf(tenantId)
  const row = (await TenantAccountPolicy.forTenant(tenantId).first()) ?? new TenantAccountPolicy().merge({ tenantId })
  row.merge(input)
  await row.save()
  const changes = diff({ ...before }, { ...input })
  if (Object.keys(changes.after).length) {
    await audit({ action: 'tenant.account_policy_updated', subjectType: 'tenant', subjectId: tenantId, ...changes })
  }
  return changes
}
