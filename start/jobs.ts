/*
| Preload (after start/plugins): adds the jobs plugin manifests declare, and in the embedded setup
| (JOBS_IN_PROCESS) runs the worker and scheduler inside the web process once it is ready.
*/
import app from '@adonisjs/core/services/app'
import jobs from '#services/jobs'
import plugins from '#kernel/plugin_service'
import jobsConfig from '#config/jobs'
/* preloads are imported concurrently: wait for the plugins to be loaded before reading their manifests */
import '#start/plugins'
import '#jobs/taps'
import '#jobs/backup_jobs'
import '#jobs/audit_retention'
import '#jobs/ping'

jobs.defineFromManifests(plugins.list().map((p) => p.manifest))

/* Jobs used by the test suite's worker child processes (see tests/fixtures/jobs) */
if (app.inTest && process.env.JOBS_TEST_DIR) {
  const { defineTestJobs } = await import('#tests/fixtures/jobs/test_jobs')
  defineTestJobs(jobs)
}

if (app.getEnvironment() === 'web' && jobsConfig.inProcess) {
  let worker: Awaited<ReturnType<typeof jobs.work>> | null = null
  app.ready(async () => {
    worker = await jobs.work({ scheduler: true })
  })
  app.terminating(async () => {
    await worker?.stop()
  })
}

app.terminating(async () => {
  await jobs.close()
})
