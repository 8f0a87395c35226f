import app from '@adonisjs/core/services/app'
import { defineConfig, formatters, loaders } from '@adonisjs/i18n'
import plugins from '#config/plugins'

/* Kernel strings in resources/lang/<locale>/*.json; each plugin's in plugins/<id>/resources/lang */
const i18nConfig = defineConfig({
  defaultLocale: 'en',
  supportedLocales: ['en', 'de'],
  formatter: formatters.icu(),
  loaders: [
    loaders.fs({ location: app.languageFilesPath() }),
    ...plugins.map((p) => loaders.fs({ location: `${p.root}resources/lang` })),
  ],
})

export default i18nConfig
