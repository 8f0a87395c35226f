import { TenantMail } from '#mails/tenant_mail'

/** Invitation to join a tenant: link to /invitations/<token> where the invitee sets a password */
export default class InvitationMail extends TenantMail {
  protected kind = 'invitation'
}
