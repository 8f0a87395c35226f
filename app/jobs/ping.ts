/*
| `kernel:ping`: a job that only proves a worker picked it up. `node ace queue:ping` enqueues it and
| waits, so operators (and the container smoke test) can check that a worker is running.
*/
import { hostname } from 'node:os'
import logger from '@adonisjs/core/services/logger'
import jobs from '#services/jobs'

export const PING_JOB = 'kernel:ping'

jobs.define(
  PING_JOB,
  async (payload, { jobId }) => {
    logger.info({ jobId, host: hostname(), pid: process.pid, sentAt: payload.sentAt }, 'ping job processed')
  },
  { attempts: 1 }
)
