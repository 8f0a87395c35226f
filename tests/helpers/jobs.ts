/*
| Test harness for jobs: unique job names, polling for a condition, and `node ace queue:work`
| child processes sharing the test run's database (and Redis prefix).
*/
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import app from '@adonisjs/core/services/app'
import jobsConfig from '#config/jobs'

/** A job name nobody else defines: `<plugin>:t_<random>` */
export function uniqueJob(plugin: string) {
  return `${plugin}:t_${randomBytes(4).toString('hex')}`
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 8000, message = 'condition') {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await sleep(50)
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}`)
}

export interface WorkerProcess {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

/** Starts `node ace queue:work` on this run's database; resolves once it takes jobs */
export async function startWorker(env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['ace.js', 'queue:work'], {
    cwd: app.makePath(),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      JOBS_DRIVER: jobsConfig.driver,
      JOBS_REDIS_PREFIX: jobsConfig.redis.prefix,
      JOBS_LEASE_MS: '1500',
      JOBS_POLL_MS: '50',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const ready = waitFor(() => output.includes('queue:work started'), 30_000, 'the worker to start')
  await Promise.race([ready, exited.then((code) => Promise.reject(new Error(`worker exited (${code}): ${output}`)))])
  return { child, output: () => output, exited }
}

/** BullMQ runs: removes this run's queues from Redis (its key prefix is unique to the run) */
export async function removeRedisQueues() {
  if (jobsConfig.driver !== 'bullmq') return
  const { BullMQDriver } = await import('#jobs/bullmq_driver')
  const { default: jobs } = await import('#services/jobs')
  const driver = new BullMQDriver(jobs.registry, jobsConfig)
  try {
    for (const name of Object.keys(jobsConfig.queues)) await driver.queue(name).obliterate({ force: true })
  } finally {
    await driver.close()
  }
}
