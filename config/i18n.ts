import app from '@adonisjs/core/services/app'
import { defineConfig, formatters, loaders } from '@adonisjs/i18n'
import { pluginLangPaths } from '#config/plugins'

/* Kernel strings in resources/lang/<locale>/*.json; each plugin's in its lang folder (resources/lang) */
const i18nConfig = defineConfig({
  defaultLocale: 'en',
  supportedLocales: ['en', 'de'],
  formatter: formatters.icu(),
  loaders: [
    loaders.fs({ location: app.languageFilesPath() }),
    ...pluginLangPaths().map((location) => loaders.fs({ location })),
  ],
})

export default i18nConfig
