/* Query string of the admin jobs page: status and job name filters, page number. */
import vine from '@vinejs/vine'
import { JOB_NAME } from '#jobs/registry'
import { JOB_STATUSES } from '#jobs/types'

export const jobFilterValidator = vine.create(
  vine.object({
    status: vine.enum(JOB_STATUSES).optional(),
    name: vine.string().trim().regex(JOB_NAME).optional(),
    page: vine.number().withoutDecimals().positive().max(100000).optional(),
  })
)
