/*
| Tenant PDF designs: every save is a new immutable version and becomes the active one; any older
| version can be made active again (roll back). The tenant's default design is one key.
*/
import db from '@adonisjs/lucid/services/db'
import { audit } from '#services/audit_service'
import { NotFoundError } from '#exceptions/domain_errors'
import { tenantContext } from '#tenancy/tenant_context'
import PdfDesign from '../../models/pdf_design.js'
import PdfDesignVersion from '../../models/pdf_design_version.js'
import PdfPreference from '../../models/pdf_preference.js'
import { checkTemplate } from '../templates/liquid_sandbox.js'
import { BUILTIN_DESIGNS, FALLBACK_DESIGN, isBuiltin } from './designs.js'

export class DesignTemplateError extends Error {
  readonly code = 'E_TEMPLATE_INVALID'
  constructor(readonly field: 'template' | 'name', message: string) {
    super(message)
  }
}

export async function findDesign(id: unknown) {
  const design = Number.isInteger(Number(id)) ? await PdfDesign.find(Number(id)) : null
  if (!design) throw new NotFoundError()
  return design
}

export async function designVersions(design: PdfDesign) {
  return PdfDesignVersion.query().where('design_id', design.id).orderBy('version', 'desc')
}

export async function activeTemplate(design: PdfDesign) {
  const version = await PdfDesignVersion.query()
    .where('design_id', design.id)
    .where('version', design.activeVersion)
    .firstOrFail()
  return version.template
}

function validTemplate(template: string) {
  const error = checkTemplate(template, 'html')
  if (error) throw new DesignTemplateError('template', error)
}

export async function createDesign(input: { name: string; template: string }, userId: number | null) {
  validTemplate(input.template)
  const tenantId = tenantContext.requireTenant().id
  if (await PdfDesign.query().where('name', input.name).first()) {
    throw new DesignTemplateError('name', 'invoicing_pdf.designs.name_taken')
  }
  const design = await db.transaction(async (trx) => {
    const created = await PdfDesign.create({ tenantId, name: input.name, activeVersion: 1, latestVersion: 1 }, { client: trx })
    await PdfDesignVersion.create(
      { tenantId, designId: created.id, version: 1, template: input.template, createdById: userId },
      { client: trx }
    )
    return created
  })
  await audit({ action: 'invoicing.pdf_design.created', subjectType: 'invoicing_pdf_design', subjectId: design.id, after: { name: design.name, version: 1 } })
  return design
}

export async function saveDesignVersion(design: PdfDesign, input: { name: string; template: string }, userId: number | null) {
  validTemplate(input.template)
  const clash = await PdfDesign.query().where('name', input.name).whereNot('id', design.id).first()
  if (clash) throw new DesignTemplateError('name', 'invoicing_pdf.designs.name_taken')
  const before = { name: design.name, version: design.activeVersion }
  await db.transaction(async (trx) => {
    const locked = await PdfDesign.query({ client: trx }).where('id', design.id).forUpdate().firstOrFail()
    const version = locked.latestVersion + 1
    await PdfDesignVersion.create(
      { tenantId: locked.tenantId, designId: locked.id, version, template: input.template, createdById: userId },
      { client: trx }
    )
    locked.merge({ name: input.name, latestVersion: version, activeVersion: version })
    await locked.save()
    design.merge({ name: locked.name, latestVersion: version, activeVersion: version })
  })
  await audit({
    action: 'invoicing.pdf_design.version_saved',
    subjectType: 'invoicing_pdf_design',
    subjectId: design.id,
    before,
    after: { name: design.name, version: design.activeVersion },
  })
  return design
}

export async function activateDesignVersion(design: PdfDesign, version: number) {
  const exists = await PdfDesignVersion.query().where('design_id', design.id).where('version', version).first()
  if (!exists) throw new NotFoundError()
  const before = { version: design.activeVersion }
  design.activeVersion = version
  await design.save()
  await audit({ action: 'invoicing.pdf_design.version_activated', subjectType: 'invoicing_pdf_design', subjectId: design.id, before, after: { version } })
  return design
}

export async function currentDefaultDesign() {
  return (await PdfPreference.query().first())?.defaultDesign ?? FALLBACK_DESIGN
}

/** Builtin keys and this tenant's designs, for pickers */
export async function designChoices() {
  const designs = await PdfDesign.query().orderBy('name')
  return [
    ...BUILTIN_DESIGNS.map((name) => ({ value: `builtin:${name}`, builtin: name as string, design: null as PdfDesign | null })),
    ...designs.map((design) => ({ value: `tenant:${design.id}`, builtin: null as string | null, design })),
  ]
}

export async function setDefaultDesign(choice: string) {
  if (!isBuiltin(choice)) {
    const match = /^tenant:(\d+)$/.exec(choice)
    if (!match) throw new NotFoundError()
    await findDesign(match[1])
  }
  const tenantId = tenantContext.requireTenant().id
  const preference = await PdfPreference.query().first()
  const before = { design: preference?.defaultDesign ?? FALLBACK_DESIGN }
  if (preference) {
    preference.defaultDesign = choice
    await preference.save()
  } else {
    await PdfPreference.create({ tenantId, defaultDesign: choice })
  }
  await audit({ action: 'invoicing.pdf_design.default_set', subjectType: 'invoicing_pdf_preference', subjectId: tenantId, before, after: { design: choice } })
}
