import type { HttpContext } from '@adonisjs/core/http'
import { FONTS, resolveTheme, themeValidator, type ThemeTokens } from '#theming/theme'
import {
  ThemeContrastError,
  contrastReport,
  previewCss,
  previewTokens,
  resetTheme,
  updateTheme,
} from '#services/settings_service'
import { formValues, refuseForm, validateForm } from '#controllers/settings/form_support'

const BACK = '/app/settings/theme'

const LABELS: Record<string, string> = {
  primary: 'settings.theme_primary',
  accent: 'settings.theme_accent',
  surface: 'settings.theme_surface',
  text: 'settings.theme_text',
  surfaceDark: 'settings.theme_surface_dark',
  textDark: 'settings.theme_text_dark',
  font: 'settings.theme_font',
  radius: 'settings.theme_radius',
  logoUrl: 'settings.theme_logo_url',
  mode: 'settings.theme_mode',
}

/** The tenant's theme tokens, with a live preview and a contrast check on save */
export default class ThemeSettingsController {
  async edit(ctx: HttpContext) {
    const saved = resolveTheme(ctx.tenant!.theme)
    const values = formValues(ctx, { ...saved } as Record<string, unknown>)
    const preview = previewTokens(values, saved)
    return ctx.view.render('pages/settings/theme', {
      values,
      labels: LABELS,
      preview,
      previewCss: previewCss(preview),
      contrast: contrastReport(preview),
      fonts: Object.entries(FONTS).map(([key, family]) => ({ value: key, label: ctx.i18n.t(`settings.theme_font_${key}`), family })),
      fontFamilies: JSON.stringify(FONTS),
      modes: ['auto', 'light', 'dark'].map((mode) => ({ value: mode, label: ctx.i18n.t(`settings.theme_mode_${mode}`) })),
      canManage: ctx.permissions.has('kernel.settings.manage'),
    })
  }

  async update(ctx: HttpContext) {
    const tokens = await validateForm<ThemeTokens>(ctx, themeValidator, { back: BACK, labels: LABELS })
    if (!tokens) return
    try {
      await updateTheme(ctx.tenant!, tokens)
    } catch (error) {
      if (!(error instanceof ThemeContrastError)) throw error
      const errors: Record<string, string> = {}
      for (const problem of error.problems) {
        errors[problem.field] = ctx.i18n.t('settings.theme_contrast_error', {
          ratio: problem.ratio,
          minimum: problem.minimum,
          against: ctx.i18n.t(LABELS[problem.against]),
        })
      }
      ctx.session.flash('error', ctx.i18n.t('settings.theme_contrast_refused'))
      return refuseForm(ctx, errors, BACK)
    }
    ctx.session.flash('success', ctx.i18n.t('settings.theme_saved'))
    return this.reload(ctx)
  }

  async reset(ctx: HttpContext) {
    await resetTheme(ctx.tenant!)
    ctx.session.flash('success', ctx.i18n.t('settings.theme_reset_done'))
    return this.reload(ctx)
  }

  /*
  | The theme lives in the page <head>, which a boosted HTMX swap keeps: after a change HTMX is
  | told to load the page in full, so the new colours apply at once.
  */
  private reload(ctx: HttpContext) {
    if (ctx.isHtmx) {
      ctx.response.header('HX-Redirect', BACK)
      return ctx.response.status(200).send('')
    }
    return ctx.response.redirect(BACK)
  }
}
