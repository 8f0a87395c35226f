/*
| Edge globals and tags shared by every page: theme CSS, translation helper, the UI slot tag.
*/
import edge from 'edge.js'
import hooks from '#kernel/hooks'
import { resolveTheme, themeCss } from '#theming/theme'
import { tenantContext } from '#tenancy/tenant_context'

edge.global('themeCss', (theme: any) => themeCss(resolveTheme(theme)))
edge.global('resolveTheme', (theme: any) => resolveTheme(theme))
edge.global('appName', process.env.APP_NAME || 'Coderon Flow')

/** Renders a named UI slot (`ui.slot.<name>` filter): {{{ await uiSlot('invoice.sidebar', { invoice }) }}} */
edge.global('uiSlot', async function (this: any, name: string, data: Record<string, unknown> = {}) {
  const items = await hooks.applyFilters(`ui.slot.${name}`, [], {
    tenantId: tenantContext.tenantId(),
    ...data,
  })
  const parts: string[] = []
  for (const item of items.sort((a, b) => (a.order ?? 100) - (b.order ?? 100))) {
    /* `this` is the calling template's state: slot views keep the page's i18n, request and user */
    if (item.view) parts.push(await edge.render(item.view, { ...this, ...data, ...(item.data ?? {}) }))
    else if (item.html) parts.push(item.html)
  }
  return parts.join('\n')
})

/**
 * The first error message for a form field, from VineJS validation (inputErrorsBag) or from a
 * controller's flashErrors (errorsBag): {{ fieldError(flashMessages, 'email') }}
 */
edge.global('fieldError', (flash: any, name: string): string | null => {
  const input = flash?.get('inputErrorsBag', {})?.[name]
  if (Array.isArray(input) && input.length) return input[0]
  const custom = flash?.get('errorsBag', {})?.[name]
  if (Array.isArray(custom)) return custom[0] ?? null
  return custom ?? null
})
