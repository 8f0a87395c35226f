/*
| Where a design's template comes from: the three shipped designs (files in
| resources/pdf_designs) or a tenant design's active version. Design keys are `builtin:<name>` or
| `tenant:<id>`; anything else is treated as not found.
*/
import { readFile } from 'node:fs/promises'
import { NotFoundError } from '#exceptions/domain_errors'
import PdfDesign from '../../models/pdf_design.js'
import PdfDesignVersion from '../../models/pdf_design_version.js'
import PdfPreference from '../../models/pdf_preference.js'

export const BUILTIN_DESIGNS = ['classic', 'modern', 'compact'] as const
export type BuiltinDesign = (typeof BUILTIN_DESIGNS)[number]
export const FALLBACK_DESIGN = 'builtin:classic'

const builtinCache = new Map<string, string>()

export async function builtinTemplate(name: BuiltinDesign): Promise<string> {
  let source = builtinCache.get(name)
  if (!source) {
    source = await readFile(new URL(`../../resources/pdf_designs/${name}.liquid`, import.meta.url), 'utf8')
    builtinCache.set(name, source)
  }
  return source
}

export interface ResolvedDesign {
  key: string
  /** Changes whenever the template does, so cached PDFs of older templates are not reused */
  revision: string
  template: string
}

export function isBuiltin(key: string): key is `builtin:${BuiltinDesign}` {
  return key.startsWith('builtin:') && (BUILTIN_DESIGNS as readonly string[]).includes(key.slice(8))
}

export async function defaultDesignKey(tenantId: number): Promise<string> {
  const preference = await PdfPreference.forTenant(tenantId).first()
  return preference?.defaultDesign ?? FALLBACK_DESIGN
}

export async function resolveDesign(designKey: string | undefined, tenantId: number | undefined): Promise<ResolvedDesign> {
  const key = designKey ?? (tenantId ? await defaultDesignKey(tenantId) : FALLBACK_DESIGN)
  if (isBuiltin(key)) {
    return { key, revision: key, template: await builtinTemplate(key.slice(8) as BuiltinDesign) }
  }
  const match = /^tenant:(\d+)$/.exec(key)
  if (!match || !tenantId) throw new NotFoundError()
  const design = await PdfDesign.forTenant(tenantId).where('id', Number(match[1])).first()
  if (!design) {
    // A deleted default design falls back to the shipped one rather than breaking every PDF
    if (!designKey) return resolveDesign(FALLBACK_DESIGN, tenantId)
    throw new NotFoundError()
  }
  const version = await PdfDesignVersion.forTenant(tenantId)
    .where('design_id', design.id)
    .where('version', design.activeVersion)
    .firstOrFail()
  return { key, revision: `${key}@${version.id}`, template: version.template }
}
