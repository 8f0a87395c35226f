/*
| Runs one attempt of a job the same way for both drivers: inside the tenant's context, behind the
| plugin-enabled gate (a job of a disabled plugin is a recorded no-op), with its timeout.
*/
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import Tenant from '#models/tenant'
import plugins from '#kernel/plugin_service'
import hooks from '#kernel/hooks'
import { tenantContext } from '#tenancy/tenant_context'
import type { JobRegistry } from '#jobs/registry'
import { UnknownJobError } from '#jobs/registry'
import type { AttemptOutcome, ClaimedJob } from '#jobs/types'

export class JobTimeoutError extends Error {
  code = 'E_JOB_TIMEOUT'
  constructor(name: string, ms: number) {
    super(`Job "${name}" exceeded its timeout of ${ms} ms`)
  }
}

/*
| A worker runs many jobs of the same tenant in a row: its row and enabled plugins are read once
| a second, not once per job. Switching a plugin in this process forgets the entry at once;
| other processes see the switch within SCOPE_TTL_MS.
*/
const SCOPE_TTL_MS = 1000
const scopes = new Map<number, { at: number; scope: Promise<{ tenant: Tenant | null; enabledPlugins: Set<string> }> }>()

function tenantScope(tenantId: number) {
  const cached = scopes.get(tenantId)
  if (cached && Date.now() - cached.at < SCOPE_TTL_MS) return cached.scope
  const scope = (async () => {
    const tenant = await Tenant.find(tenantId)
    return { tenant, enabledPlugins: tenant ? await plugins.enabledFor(tenant.id) : new Set<string>() }
  })()
  scopes.set(tenantId, { at: Date.now(), scope })
  scope.catch(() => scopes.delete(tenantId))
  if (scopes.size > 10_000) scopes.delete(scopes.keys().next().value!)
  return scope
}

for (const action of ['plugin.enabled', 'plugin.disabled'] as const) {
  hooks.addAction(action, ({ tenant }) => void scopes.delete(tenant.id), { plugin: 'kernel' })
}

export type ProgressReporter = (percent: number, message: string | null) => Promise<void>

export async function runAttempt(
  registry: JobRegistry,
  job: ClaimedJob,
  reportProgress: ProgressReporter
): Promise<AttemptOutcome> {
  try {
    const definition = registry.get(job.name)
    if (!definition) throw new UnknownJobError(job.name)

    const { tenant, enabledPlugins } = await tenantScope(job.tenantId)
    if (!tenant) return { status: 'skipped', reason: `tenant ${job.tenantId} no longer exists` }
    if (definition.plugin !== 'kernel' && !enabledPlugins.has(definition.plugin)) {
      const installed = plugins.get(definition.plugin) !== undefined
      return {
        status: 'skipped',
        reason: installed
          ? `plugin "${definition.plugin}" is disabled for this tenant`
          : `plugin "${definition.plugin}" is not installed`,
      }
    }

    const handler = await definition.handler()
    const ctx = {
      jobId: job.id,
      attempt: job.attempt,
      tenantId: tenant.id,
      progress: async (percent: number, message?: string) => {
        const clamped = Math.max(0, Math.min(100, Math.round(Number(percent) || 0)))
        await reportProgress(clamped, message ?? null)
      },
    }
    const run = tenantContext.run({ tenant, enabledPlugins }, () => handler(job.payload, ctx))
    await withTimeout(run, job.timeoutMs, job.name)
    return { status: 'completed' }
  } catch (error) {
    return { status: 'failed', error: error instanceof Error ? error : new Error(String(error)) }
  }
}

async function withTimeout(run: Promise<void>, ms: number | null, name: string) {
  if (!ms) return run
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobTimeoutError(name, ms)), ms)
  })
  try {
    await Promise.race([run, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Wait before retry number `attempt` (1 = after the first failure) */
export function backoffDelay(backoff: { type: 'exponential' | 'fixed'; delay: number }, attempt: number) {
  if (backoff.type === 'fixed') return backoff.delay
  return backoff.delay * 2 ** Math.max(0, attempt - 1)
}

/** Names a worker process in job rows and logs */
export function workerId() {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
}
