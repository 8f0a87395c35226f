/*
| Japa bootstrap. Each run gets a fresh database: its own SQLite file, or (DB_CONNECTION=pg) a
| fresh PostgreSQL schema, migrated at start and dropped at the end.
*/
import { assert } from '@japa/assert'
import { apiClient } from '@japa/api-client'
import app from '@adonisjs/core/services/app'
import type { Config } from '@japa/runner/types'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import testUtils from '@adonisjs/core/services/test_utils'
import { browserClient } from '@japa/browser-client'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { sessionBrowserClient } from '@adonisjs/session/plugins/browser_client'
import { authBrowserClient } from '@adonisjs/auth/plugins/browser_client'
import { setupTestDatabase, teardownTestDatabase } from '#tests/helpers/database'

export const plugins: Config['plugins'] = [
  assert(),
  pluginAdonisJS(app),
  apiClient(),
  sessionApiClient(app),
  shieldApiClient(),
  authApiClient(app),
  browserClient({
    runInSuites: ['browser'],
    /* Fixed language and colour scheme, and no animations, so pages render the same every time */
    contextOptions: {
      baseURL: `http://demo.localhost:${process.env.PORT}`,
      locale: 'en-US',
      colorScheme: 'light',
      reducedMotion: 'reduce',
    },
    launcher: async (launchOptions) => {
      const { chromium } = await import('playwright')
      return chromium.launch({
        ...launchOptions,
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--headless',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--disable-quic',
        ],
      })
    },
  }),
  sessionBrowserClient(app),
  authBrowserClient(app),
]

export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [() => setupTestDatabase()],
  teardown: [() => teardownTestDatabase()],
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (['browser', 'functional'].includes(suite.name)) {
    return suite.setup(() => testUtils.httpServer().start())
  }
}
