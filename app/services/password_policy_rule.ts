/*
| The password policy as a VineJS rule, for every form and command that sets a password. The
| minimum length is the current tenant's (the default outside a tenant, e.g. a new tenant's
| owner); the other fields of the form (email, names) count as words a guesser knows.
*/
import vine from '@vinejs/vine'
import { HttpContext } from '@adonisjs/core/http'
import i18nManager from '@adonisjs/i18n/services/main'
import { tenantContext } from '#tenancy/tenant_context'
import { checkPassword, DEFAULT_MIN_LENGTH, type PasswordProblem } from '#services/password_policy'
import { accountPolicyOf } from '#services/session_tracking_policy'

/** Form fields whose values a guesser would try */
const CONTEXT_FIELDS = ['email', 'fullName', 'name', 'slug', 'ownerEmail', 'ownerName']

/** The problem in the request's language (English outside a request, e.g. on the command line) */
export function passwordProblemMessage(problem: PasswordProblem, locale?: string) {
  const i18n = locale ? i18nManager.locale(locale) : (HttpContext.get()?.i18n ?? i18nManager.locale('en'))
  return i18n.t(`account.password_${problem.code}`, problem)
}

const RULE_NAMES = { breached: 'passwordBreached', weak: 'passwordWeak' } as const

export const passwordPolicyRule = vine.createRule<{ userInputs?: () => Array<string | null | undefined> } | undefined>(
  async (value, options, field) => {
    if (typeof value !== 'string') return
    const tenantId = tenantContext.tenantId()
    const minLength = tenantId ? (await accountPolicyOf(tenantId)).passwordMinLength : DEFAULT_MIN_LENGTH
    const parent = (field.parent ?? {}) as Record<string, unknown>
    const userInputs = [
      ...CONTEXT_FIELDS.map((key) => (typeof parent[key] === 'string' ? (parent[key] as string) : null)),
      ...(options?.userInputs?.() ?? []),
      tenantContext.tenant()?.name,
      tenantContext.tenant()?.slug,
    ]
    const problem = checkPassword(value, { minLength, userInputs })
    if (!problem) return
    /* length problems read like every other length error ("Password needs at least 12 characters.") */
    if (problem.code === 'too_short') field.report('{{ field }} needs at least {{ min }} characters', 'minLength', field, problem)
    else if (problem.code === 'too_long') field.report('{{ field }} can have at most {{ max }} characters', 'maxLength', field, problem)
    else field.report(passwordProblemMessage(problem), RULE_NAMES[problem.code], field, problem)
  },
  { isAsync: true }
)

/** A new password field: the policy, with confirmation unless the caller asks without */
export function newPasswordField(options: { confirmed?: boolean } = {}) {
  const field = vine.string().use(passwordPolicyRule())
  return options.confirmed === false ? field : field.confirmed()
}
