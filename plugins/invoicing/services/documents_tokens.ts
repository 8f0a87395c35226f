/*
| Public link tokens. The token is HMAC-SHA256(app key, tenant:document:salt), 32 bytes base64url:
| unguessable without the app key, recomputable for display (so it never has to be stored), and
| only its SHA-256 is stored and looked up. Rotating the salt revokes the old link.
*/
import { createHash, createHmac, randomBytes } from 'node:crypto'
import env from '#start/env'
import Document from '../models/document.js'

function appKey() {
  return env.get('APP_KEY').release()
}

export function newSalt() {
  return randomBytes(24).toString('base64url')
}

export function tokenFor(doc: Pick<Document, 'tenantId' | 'id' | 'publicTokenSalt'>) {
  if (!doc.publicTokenSalt) return null
  return createHmac('sha256', appKey()).update(`invoicing:${doc.tenantId}:${doc.id}:${doc.publicTokenSalt}`).digest('base64url')
}

export function hashToken(token: string) {
  return createHash('sha256').update(token).digest('hex')
}

/** Gives the document a (new) public token; the caller saves it */
export function assignToken(doc: Document) {
  doc.publicTokenSalt = newSalt()
  doc.publicTokenHash = hashToken(tokenFor(doc)!)
  return tokenFor(doc)!
}

/** The path of the public page of a document, or null for drafts */
export function publicPath(doc: Pick<Document, 'tenantId' | 'id' | 'publicTokenSalt'>) {
  const token = tokenFor(doc)
  return token ? `/p/invoicing/d/${token}` : null
}

/** The issued document for a public token of the tenant in context, or null */
export async function findByPublicToken(tenantId: number, token: string) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null
  return Document.forTenant(tenantId).where('public_token_hash', hashToken(token)).whereNot('status', 'draft').first()
}
