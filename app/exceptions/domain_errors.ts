/*
| Domain errors: each has a stable code and status; the UI shows `message`, the API answers
| problem+json with the same code.
*/
export class DomainError extends Error {
  code = 'E_DOMAIN'
  status = 400
  /** i18n key for the human message */
  messageKey?: string
  constructor(message: string, options?: { code?: string; status?: number; messageKey?: string }) {
    super(message)
    if (options?.code) this.code = options.code
    if (options?.status) this.status = options.status
    this.messageKey = options?.messageKey
  }
}

export class NotFoundError extends DomainError {
  constructor(message = 'Not found') {
    super(message, { code: 'E_NOT_FOUND', status: 404, messageKey: 'errors.not_found' })
  }
}

export class ForbiddenError extends DomainError {
  constructor(public permission?: string) {
    super(permission ? `Missing permission ${permission}` : 'Forbidden', {
      code: 'E_FORBIDDEN',
      status: 403,
      messageKey: 'errors.forbidden',
    })
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'A valid bearer token is required') {
    super(message, { code: 'E_UNAUTHORIZED', status: 401, messageKey: 'errors.unauthorized' })
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, code = 'E_CONFLICT') {
    super(message, { code, status: 409 })
  }
}
