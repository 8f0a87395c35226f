/*
| Tenant settings: the general profile, the theme, and per-tenant plugin enablement and plugin
| settings. Every change is audited with what it was before and after.
*/
import type Tenant from '#models/tenant'
import type { TenantProfile } from '#models/tenant'
import plugins, { PluginDependencyError } from '#kernel/plugin_service'
import type { SettingField } from '#kernel/plugin_manifest'
import { audit, diff } from '#services/audit_service'
import { DomainError, NotFoundError } from '#exceptions/domain_errors'
import {
  DEFAULT_THEME,
  FONTS,
  checkContrast,
  contrastRatio,
  onColor,
  resolveTheme,
  type ContrastProblem,
  type ThemeTokens,
} from '#theming/theme'

export const PROFILE_KEYS = [
  'legalName',
  'addressLine1',
  'addressLine2',
  'postalCode',
  'city',
  'country',
  'taxId',
  'vatId',
  'email',
  'phone',
] as const satisfies ReadonlyArray<keyof TenantProfile>

type ProfileKey = (typeof PROFILE_KEYS)[number]

export type GeneralSettings = { name: string; locale: string; timezone: string; currency: string } & {
  [K in ProfileKey]: string | null
}

export type GeneralSettingsInput = { name: string; locale: string; timezone: string; currency: string } & {
  [K in ProfileKey]?: string | null
}

export function generalSettingsOf(tenant: Tenant): GeneralSettings {
  const values = {
    name: tenant.name,
    locale: tenant.locale,
    timezone: tenant.timezone,
    currency: tenant.currency,
  } as GeneralSettings
  for (const key of PROFILE_KEYS) values[key] = tenant.profile?.[key] ?? null
  return values
}

export async function updateGeneralSettings(tenant: Tenant, input: GeneralSettingsInput) {
  const before = generalSettingsOf(tenant)
  tenant.name = input.name
  tenant.locale = input.locale
  tenant.timezone = input.timezone
  tenant.currency = input.currency
  /* Keys other features keep in the profile survive; the form's keys are set or removed */
  const profile: TenantProfile = { ...(tenant.profile ?? {}) }
  for (const key of PROFILE_KEYS) {
    const value = input[key]
    if (value === undefined || value === null || value === '') delete profile[key]
    else profile[key] = value
  }
  tenant.profile = profile
  await tenant.save()
  const changes = diff(before, generalSettingsOf(tenant))
  if (Object.keys(changes.after).length) {
    await audit({ action: 'tenant.settings_updated', subjectType: 'tenant', subjectId: tenant.id, ...changes })
  }
  return changes
}

/** Refused theme: the colour pairs below WCAG 2.2 AA, with their ratios */
export class ThemeContrastError extends DomainError {
  constructor(public problems: ContrastProblem[]) {
    super('Theme colours do not meet WCAG AA contrast', {
      code: 'E_THEME_CONTRAST',
      status: 422,
      messageKey: 'settings.theme_contrast_refused',
    })
  }
}

async function storeTheme(tenant: Tenant, next: ThemeTokens, action: string) {
  const before = resolveTheme(tenant.theme)
  tenant.theme = { ...next, logoUrl: next.logoUrl ?? null }
  await tenant.save()
  const changes = diff({ ...before }, { ...resolveTheme(tenant.theme) })
  if (Object.keys(changes.after).length) {
    await audit({ action, subjectType: 'tenant', subjectId: tenant.id, ...changes })
  }
  return changes
}

export async function updateTheme(tenant: Tenant, tokens: ThemeTokens) {
  const problems = checkContrast(tokens)
  if (problems.length) throw new ThemeContrastError(problems)
  return storeTheme(tenant, tokens, 'tenant.theme_updated')
}

export async function resetTheme(tenant: Tenant) {
  return storeTheme(tenant, { ...DEFAULT_THEME }, 'tenant.theme_reset')
}

export interface PluginRow {
  id: string
  name: string
  version: string
  description: string | null
  enabled: boolean
  /** names of the plugins it needs */
  dependsOn: string[]
  hasSettings: boolean
}

export async function pluginRows(tenant: Tenant): Promise<PluginRow[]> {
  const enabled = await plugins.enabledFor(tenant.id)
  return plugins.list().map(({ manifest }) => ({
    id: manifest.id,
    name: manifest.name,
    version: manifest.version,
    description: manifest.description ?? null,
    enabled: enabled.has(manifest.id),
    dependsOn: Object.keys(manifest.dependsOn ?? {}).map((dep) => plugins.get(dep)?.manifest.name ?? dep),
    hasSettings: Object.keys(manifest.settings ?? {}).length > 0,
  }))
}

/** Enabling needs the dependencies on; disabling needs no enabled plugin depending on it */
export class PluginToggleError extends DomainError {
  constructor(
    messageKey: string,
    public details: { plugin: string; others: string }
  ) {
    super(`Plugin "${details.plugin}" cannot be switched: ${details.others}`, {
      code: 'E_PLUGIN_DEPENDENCY',
      status: 409,
      messageKey,
    })
  }
}

export async function setPluginEnabled(tenant: Tenant, pluginId: string, enabled: boolean) {
  const plugin = plugins.get(pluginId)
  if (!plugin) throw new NotFoundError()
  const current = await plugins.enabledFor(tenant.id)
  const was = current.has(pluginId)
  if (was === enabled) return false
  const nameOf = (id: string) => plugins.get(id)?.manifest.name ?? id
  if (enabled) {
    const missing = Object.keys(plugin.manifest.dependsOn ?? {}).filter((dep) => !current.has(dep))
    if (missing.length) {
      throw new PluginToggleError('settings.plugins_needs', {
        plugin: plugin.manifest.name,
        others: missing.map(nameOf).join(', '),
      })
    }
  } else {
    const dependents = plugins
      .list()
      .filter((p) => current.has(p.manifest.id) && pluginId in (p.manifest.dependsOn ?? {}))
    if (dependents.length) {
      throw new PluginToggleError('settings.plugins_needed_by', {
        plugin: plugin.manifest.name,
        others: dependents.map((d) => d.manifest.name).join(', '),
      })
    }
  }
  try {
    await plugins.setEnabled(tenant, pluginId, enabled)
  } catch (error) {
    if (error instanceof PluginDependencyError) {
      throw new PluginToggleError('settings.plugins_toggle_failed', { plugin: plugin.manifest.name, others: error.message })
    }
    throw error
  }
  await audit({
    action: enabled ? 'plugin.enabled' : 'plugin.disabled',
    subjectType: 'plugin',
    subjectId: pluginId,
    before: { enabled: was },
    after: { enabled },
  })
  return true
}

/** A plugin's settings page exists only while the plugin is installed and on for the tenant */
export function requireEnabledPlugin(pluginId: string, enabledPlugins: Set<string>) {
  const plugin = plugins.get(pluginId)
  if (!plugin || !enabledPlugins.has(pluginId)) throw new NotFoundError()
  return plugin
}

export async function pluginSettingsForm(tenant: Tenant, pluginId: string) {
  const fields: Array<{ key: string } & SettingField> = Object.entries(plugins.settingsFields(pluginId)).map(
    ([key, field]) => ({ key, ...field })
  )
  return { fields, values: await plugins.settingsFor(tenant.id, pluginId) }
}

export async function savePluginSettings(tenant: Tenant, pluginId: string, values: Record<string, unknown>) {
  const before = await plugins.settingsFor(tenant.id, pluginId)
  const saved = await plugins.saveSettings(tenant.id, pluginId, values)
  const changes = diff(before, saved)
  if (Object.keys(changes.after).length) {
    await audit({ action: 'plugin.settings_updated', subjectType: 'plugin', subjectId: pluginId, ...changes })
  }
  return changes
}

const HEX = /^#[0-9a-fA-F]{6}$/

/**
 * Tokens for the theme preview from form input that may be invalid: each value is kept only if
 * it is valid on its own (so nothing unvalidated reaches the style block), else the saved one.
 */
export function previewTokens(candidate: Record<string, unknown>, saved: ThemeTokens): ThemeTokens {
  const colour = (key: keyof ThemeTokens) => {
    const value = candidate[key]
    return typeof value === 'string' && HEX.test(value) ? value.toLowerCase() : (saved[key] as string)
  }
  const radius = Number(candidate.radius)
  const font = candidate.font as ThemeTokens['font']
  return {
    ...saved,
    primary: colour('primary'),
    accent: colour('accent'),
    surface: colour('surface'),
    text: colour('text'),
    surfaceDark: colour('surfaceDark'),
    textDark: colour('textDark'),
    font: font in FONTS ? font : saved.font,
    radius: Number.isInteger(radius) && radius >= 0 && radius <= 24 ? radius : saved.radius,
  }
}

/** The contrast pairs the save check uses, with their current ratios, for the preview */
export function contrastReport(tokens: ThemeTokens) {
  const failing = new Set(checkContrast(tokens).map((p) => p.field))
  const pairs: Array<[keyof ThemeTokens, keyof ThemeTokens, number]> = [
    ['text', 'surface', 4.5],
    ['textDark', 'surfaceDark', 4.5],
    ['primary', 'surface', 4.5],
    ['accent', 'surface', 3],
  ]
  return pairs.map(([field, against, minimum]) => ({
    field,
    against,
    minimum,
    ratio: Math.round(contrastRatio(tokens[field] as string, tokens[against] as string) * 100) / 100,
    ok: !failing.has(field),
  }))
}

/** CSS custom properties scoped to the preview panes; every value is a checked token */
export function previewCss(tokens: ThemeTokens) {
  const pane = (surface: string, text: string) =>
    [
      `--cf-primary:${tokens.primary}`,
      `--cf-on-primary:${onColor(tokens.primary)}`,
      `--cf-accent:${tokens.accent}`,
      `--cf-surface:${surface}`,
      `--cf-text:${text}`,
      `--cf-link:${tokens.primary}`,
      `--cf-font:${FONTS[tokens.font]}`,
      `--cf-radius:${tokens.radius}px`,
    ].join(';')
  return (
    `#kernel-theme-preview [data-preview="light"]{${pane(tokens.surface, tokens.text)}}` +
    `#kernel-theme-preview [data-preview="dark"]{${pane(tokens.surfaceDark, tokens.textDark)}}`
  )
}
