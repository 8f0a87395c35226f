import type { HttpContext } from '@adonisjs/core/http'
import plugins from '#kernel/plugin_service'
import {
  PluginToggleError,
  pluginRows,
  pluginSettingsForm,
  requireEnabledPlugin,
  savePluginSettings,
  setPluginEnabled,
} from '#services/settings_service'
import { NotFoundError } from '#exceptions/domain_errors'
import { formValues, validateForm } from '#controllers/settings/form_support'

const BACK = '/app/settings/plugins'

/** Installed plugins: per-tenant switch and the settings form each manifest declares */
export default class PluginsController {
  async index(ctx: HttpContext) {
    return ctx.view.render('pages/settings/plugins', { plugins: await pluginRows(ctx.tenant!) })
  }

  async enable(ctx: HttpContext) {
    return this.toggle(ctx, true)
  }

  async disable(ctx: HttpContext) {
    return this.toggle(ctx, false)
  }

  async edit(ctx: HttpContext) {
    const plugin = requireEnabledPlugin(ctx.params.id, ctx.enabledPlugins)
    const { fields, values } = await pluginSettingsForm(ctx.tenant!, plugin.manifest.id)
    return ctx.view.render('pages/settings/plugin_settings', {
      plugin: plugin.manifest,
      fields,
      values: formValues(ctx, values),
    })
  }

  async update(ctx: HttpContext) {
    const plugin = requireEnabledPlugin(ctx.params.id, ctx.enabledPlugins)
    const id = plugin.manifest.id
    const back = `${BACK}/${id}`
    const labels = Object.fromEntries(Object.entries(plugins.settingsFields(id)).map(([key, f]) => [key, f.label]))
    const input = await validateForm<Record<string, unknown>>(ctx, plugins.settingsValidator(id), { back, labels })
    if (!input) return
    await savePluginSettings(ctx.tenant!, id, input)
    ctx.session.flash('success', ctx.i18n.t('forms.saved'))
    return ctx.response.redirect(back)
  }

  private async toggle(ctx: HttpContext, enabled: boolean) {
    const plugin = plugins.get(ctx.params.id)
    if (!plugin) throw new NotFoundError()
    const name = plugin.manifest.name
    try {
      const changed = await setPluginEnabled(ctx.tenant!, plugin.manifest.id, enabled)
      if (changed) ctx.session.flash('success', ctx.i18n.t(enabled ? 'settings.plugins_enabled' : 'settings.plugins_disabled', { plugin: name }))
    } catch (error) {
      if (!(error instanceof PluginToggleError)) throw error
      ctx.session.flash('pluginError', ctx.i18n.t(error.messageKey!, error.details))
    }
    return ctx.response.redirect(BACK)
  }
}
