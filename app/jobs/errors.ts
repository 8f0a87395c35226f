/* Errors the jobs admin actions raise: the job exists but is not in a state that allows it. */
import { DomainError } from '#exceptions/domain_errors'

export class JobStateError extends DomainError {
  constructor(id: string, action: 'retry' | 'discard') {
    super(`Job ${id} cannot be ${action === 'retry' ? 'retried' : 'discarded'} in its current state`, {
      code: 'E_JOB_STATE',
      status: 409,
      messageKey: `jobs.errors.cannot_${action}`,
    })
  }
}
