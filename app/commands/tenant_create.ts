/*
| `node ace tenant:create <slug> --name "..." --owner-email ... --owner-password ...`: creates a
| tenant with its owner from the command line. The last line of the output is the new tenant's
| id alone, for scripts; invalid input lists each problem and exits with code 1.
*/
import { userInfo } from 'node:os'
import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class TenantCreate extends BaseCommand {
  static commandName = 'tenant:create'
  static description = 'Create a tenant with its owner account and print the new tenant id'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Subdomain of the tenant (lower-case letters, digits, hyphens)' })
  declare slug: string

  @flags.string({ description: 'Display name of the tenant', required: true })
  declare name: string

  @flags.string({ description: 'Email address of the owner', required: true })
  declare ownerEmail: string

  @flags.string({ description: 'Password of the owner (at least 12 characters); asked for when omitted on a terminal' })
  declare ownerPassword?: string

  @flags.string({ description: 'Full name of the owner' })
  declare ownerName?: string

  @flags.string({ description: 'Default language: en or de' })
  declare locale?: string

  async run() {
    const { errors } = await import('@vinejs/vine')
    const { default: i18nManager } = await import('@adonisjs/i18n/services/main')
    const { createTenantValidator } = await import('#services/tenant_service')
    const { createTenantAsPlatform } = await import('#services/platform_service')
    const { default: env } = await import('#start/env')

    let password = this.ownerPassword
    if (password === undefined && process.stdin.isTTY) {
      password = await this.prompt.secure('Password of the owner')
    }

    let input
    try {
      input = await createTenantValidator.validate(
        {
          slug: this.slug,
          name: this.name,
          ownerEmail: this.ownerEmail,
          ownerPassword: password,
          ownerName: this.ownerName,
          locale: this.locale,
        },
        { messagesProvider: i18nManager.locale('en').createMessagesProvider() }
      )
    } catch (error) {
      if (!(error instanceof errors.E_VALIDATION_ERROR)) throw error
      this.logger.error('The tenant was not created:')
      for (const problem of error.messages as { field: string; message: string }[]) {
        this.logger.error(`  ${flagName(problem.field)}: ${problem.message}`)
      }
      this.exitCode = 1
      return
    }

    const { tenant, owner } = await createTenantAsPlatform(input, { type: 'cli', id: null, label: cliUser() })
    const appUrl = new URL(env.get('APP_URL'))
    const url = `${appUrl.protocol}//${tenant.slug}.${env.get('APP_DOMAIN')}${appUrl.port ? `:${appUrl.port}` : ''}`
    this.logger.success(`Tenant "${tenant.slug}" created with owner ${owner.email}: ${url}`)
    this.logger.log(String(tenant.id))
  }
}

/** Validation reports input keys; users typed flags */
function flagName(field: string) {
  if (field === 'slug') return 'slug'
  return `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}

function cliUser() {
  try {
    return userInfo().username
  } catch {
    return null
  }
}
