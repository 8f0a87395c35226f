import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * `node ace token:create --tenant acme --email ann@acme.test --name CI --scopes "kernel.users.view"`
 * prints the new token as the last line of its output, so scripts can take it with `tail -n 1`.
 */
export default class TokenCreate extends BaseCommand {
  static commandName = 'token:create'
  static description = 'Create a personal access token for a user of a tenant and print it'
  static help = [
    'Scopes are permission keys or wildcards, comma separated: "*", "kernel.*", "kernel.users.view".',
    'The user must hold every permission a scope reaches. The token is printed once, on the last line.',
  ]
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Slug of the tenant', required: true })
  declare tenant: string

  @flags.string({ description: 'Email of the user the token acts for', required: true })
  declare email: string

  @flags.string({ description: 'Name of the token (what it is for)', required: true })
  declare name: string

  @flags.string({ description: 'Comma-separated scopes', required: true })
  declare scopes: string

  @flags.number({ description: 'Days until the token expires (default: never)' })
  declare expiresInDays?: number

  async run() {
    const { default: Tenant } = await import('#models/tenant')
    const { default: User } = await import('#models/user')
    const { default: plugins } = await import('#kernel/plugin_service')
    const { tenantContext } = await import('#tenancy/tenant_context')
    const { createToken, InvalidScopesError } = await import('#services/token_service')
    const { DomainError } = await import('#exceptions/domain_errors')

    const tenant = await Tenant.findBy('slug', this.tenant.trim().toLowerCase())
    if (!tenant) return this.refuse(`Unknown tenant "${this.tenant}"`)
    const user = await User.forTenant(tenant.id).where('email', this.email.trim().toLowerCase()).first()
    if (!user) return this.refuse(`No user with email "${this.email}" in tenant "${tenant.slug}"`)
    if (user.status !== 'active') return this.refuse(`User "${user.email}" is ${user.status}, not active`)
    const name = this.name.trim()
    if (!name || name.length > 100) return this.refuse('The name must have 1 to 100 characters')
    if (this.expiresInDays !== undefined && !(Number.isInteger(this.expiresInDays) && this.expiresInDays >= 1 && this.expiresInDays <= 3650)) {
      return this.refuse('--expires-in-days must be a whole number from 1 to 3650')
    }
    const scopes = this.scopes.split(',').map((s) => s.trim()).filter(Boolean)

    const enabledPlugins = await plugins.enabledFor(tenant.id)
    try {
      const token = await tenantContext.run({ tenant, enabledPlugins }, () =>
        createToken(
          user,
          { name, scopes, expiresInDays: this.expiresInDays },
          { enabledPlugins, actor: { type: 'cli', id: null, label: 'token:create' } }
        )
      )
      this.logger.success(`Token "${token.name}" (id ${token.id}) for ${user.email} in ${tenant.slug}, scopes: ${token.scopes.join(', ')}`)
      this.logger.log(token.value)
    } catch (error) {
      if (error instanceof InvalidScopesError) {
        return this.refuse(error.problems.map((p) => (p.reason === 'unknown' ? `Unknown scope "${p.scope}"` : `${user.email} does not hold scope "${p.scope}"`)).join('\n'))
      }
      if (error instanceof DomainError) return this.refuse(error.message)
      throw error
    }
  }

  private refuse(message: string) {
    for (const line of message.split('\n')) this.logger.error(line)
    this.exitCode = 1
  }
}
