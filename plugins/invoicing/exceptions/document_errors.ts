/* Domain errors of the documents, numbering and payments ledger (409 for state conflicts) */
import { DomainError } from '#exceptions/domain_errors'

export class DocumentLockedError extends DomainError {
  constructor(public number: string | null) {
    super(`Document ${number ?? ''} is finalised; correct it with a credit note`.replace('  ', ' '), {
      code: 'E_DOCUMENT_LOCKED',
      status: 409,
      messageKey: 'invoicing_core.errors.locked',
    })
  }
}

export class InvalidTransitionError extends DomainError {
  constructor(
    public from: string,
    public action: string
  ) {
    super(`"${action}" is not possible for a document in status "${from}"`, {
      code: 'E_INVALID_TRANSITION',
      status: 409,
      messageKey: 'invoicing_core.errors.transition',
    })
  }
}

export class EmptyDocumentError extends DomainError {
  constructor() {
    super('A document needs at least one line before it can be finalised', {
      code: 'E_DOCUMENT_EMPTY',
      status: 422,
      messageKey: 'invoicing_core.errors.empty',
    })
  }
}

export class CurrencyMismatchError extends DomainError {
  constructor(expected: string, got: string) {
    super(`Amount is in ${got} but the document is in ${expected}`, {
      code: 'E_CURRENCY_MISMATCH',
      status: 422,
      messageKey: 'invoicing_core.errors.currency',
    })
  }
}

export class LedgerError extends DomainError {
  constructor(message: string, messageKey: string, code = 'E_LEDGER') {
    super(message, { code, status: 422, messageKey })
  }
}

export class SeriesPatternError extends DomainError {
  constructor(message: string, messageKey: string) {
    super(message, { code: 'E_SERIES_PATTERN', status: 422, messageKey })
  }
}
