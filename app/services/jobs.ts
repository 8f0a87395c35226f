/*
| The kernel jobs API. Define a job once (`<plugin>:<verb_noun>`), dispatch it with a payload of
| ids plus `tenantId`; the configured driver (embedded database queue or BullMQ) runs it in the
| tenant's context with retries and backoff.
|
|   jobs.define('invoicing:send_invoice', async ({ tenantId, invoiceId }, ctx) => { ... }, { attempts: 5 })
|   await jobs.dispatch('invoicing:send_invoice', { tenantId, invoiceId }, { client: trx })
*/
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import jobsConfig from '#config/jobs'
import { JobRegistry } from '#jobs/registry'
import type { PluginManifest } from '#kernel/plugin_manifest'
import type {
  DefineOptions,
  DispatchOptions,
  JobDriver,
  JobHandler,
  JobPayload,
  RunningWorker,
  WorkerOptions,
} from '#jobs/types'

export type { DefineOptions, DispatchOptions, JobContext, JobHandler, JobPayload } from '#jobs/types'

export class JobsService {
  readonly registry = new JobRegistry()
  #driver: JobDriver | null = null

  /** Declares a job. Call at boot (a plugin's `boot`, or a kernel module imported at start-up). */
  define<P extends JobPayload>(name: string, handler: JobHandler<P>, options: DefineOptions = {}) {
    this.registry.define(name, handler, options)
  }

  /**
   * Enqueues a job and returns its id. With `client`, the job is written in that transaction
   * and only runs after it commits; with `jobId`, a job with that id that already exists wins.
   */
  async dispatch<P extends JobPayload>(name: string, payload: P, options: DispatchOptions = {}): Promise<string> {
    const envelope = this.registry.envelope(name, payload, options)
    await this.driver().enqueue(envelope, options.client as TransactionClientContract | undefined)
    return envelope.id
  }

  /** Adds the jobs declared in plugin manifests (called once plugins are loaded) */
  defineFromManifests(manifests: PluginManifest[]) {
    for (const manifest of manifests) {
      if (manifest.jobs) this.registry.defineFromManifest(manifest.id, manifest.jobs)
    }
  }

  /** Starts consuming jobs in this process (web process in the embedded setup, or queue:work) */
  work(options: WorkerOptions = {}): Promise<RunningWorker> {
    return this.driver().work(options)
  }

  /** Runs every due job in this process until none is left: for tests and scripts */
  drain(options?: { queues?: string[]; timeoutMs?: number }) {
    return this.driver().drain(options)
  }

  retry(tenantId: number, id: string) {
    return this.driver().retry(tenantId, id)
  }

  discard(tenantId: number, id: string) {
    return this.driver().discard(tenantId, id)
  }

  get driverName() {
    return this.#driver?.name ?? jobsConfig.driver
  }

  driver(): JobDriver {
    if (!this.#driver) this.#driver = this.#makeDriver(jobsConfig.driver)
    return this.#driver
  }

  /** Test support: swap the driver (the previous one is closed) */
  async useDriver(name: 'database' | 'bullmq') {
    await this.#driver?.close()
    this.#driver = this.#makeDriver(name)
  }

  async close() {
    await this.#driver?.close()
    this.#driver = null
  }

  #makeDriver(name: 'database' | 'bullmq'): JobDriver {
    return name === 'bullmq' ? new LazyBullMQ(this.registry) : new DatabaseDriverProxy(this.registry)
  }
}

/*
| Drivers load on first use so that BullMQ and its Redis client are only imported where they are
| configured.
*/
function lazyDriver(name: 'database' | 'bullmq', load: (registry: JobRegistry) => Promise<JobDriver>) {
  return class implements JobDriver {
    readonly name = name
    #real: Promise<JobDriver> | null = null
    constructor(private registry: JobRegistry) {}
    #get() {
      return (this.#real ??= load(this.registry))
    }
    async enqueue(...args: Parameters<JobDriver['enqueue']>) {
      return (await this.#get()).enqueue(...args)
    }
    async work(...args: Parameters<JobDriver['work']>) {
      return (await this.#get()).work(...args)
    }
    async drain(...args: Parameters<JobDriver['drain']>) {
      return (await this.#get()).drain(...args)
    }
    async retry(...args: Parameters<JobDriver['retry']>) {
      return (await this.#get()).retry(...args)
    }
    async discard(...args: Parameters<JobDriver['discard']>) {
      return (await this.#get()).discard(...args)
    }
    async relayOutbox(...args: Parameters<JobDriver['relayOutbox']>) {
      return (await this.#get()).relayOutbox(...args)
    }
    async close() {
      if (this.#real) await (await this.#real).close()
    }
  }
}

const DatabaseDriverProxy = lazyDriver('database', async (registry) => {
  const { DatabaseDriver } = await import('#jobs/database_driver')
  return new DatabaseDriver(registry, jobsConfig)
})

const LazyBullMQ = lazyDriver('bullmq', async (registry) => {
  const { BullMQDriver } = await import('#jobs/bullmq_driver')
  return new BullMQDriver(registry, jobsConfig)
})

const jobs = new JobsService()
export default jobs
