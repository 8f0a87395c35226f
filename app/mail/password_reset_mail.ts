import { TenantMail } from '#mails/tenant_mail'

/** Password reset link to /reset-password/<token> */
export default class PasswordResetMail extends TenantMail {
  protected kind = 'reset'
}
