/*
| Preload: loads the installed plugins (config/plugins.ts), runs register then boot, mounts their
| Edge disks, and registers their routes under /app/<plugin-kebab> and /api/v1 behind the
| tenant, auth and plugin-enabled gates. Any error stops start-up naming the plugin.
*/
import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import edge from 'edge.js'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import sources from '#config/plugins'
import plugins from '#kernel/plugin_service'
import hooks from '#kernel/hooks'
import { kebab } from '#kernel/plugin_manifest'
import { loadRoutes } from '#kernel/plugin_loader'
import { middleware } from '#start/kernel'
import '#kernel/kernel_taps'

hooks.options.logger = {
  warn: (obj, msg) => app.container.make('logger').then((l) => l.warn(obj, msg)),
  error: (obj, msg) => app.container.make('logger').then((l) => l.error(obj, msg)),
}

const loaded = await plugins.loader.load(sources)
for (const p of loaded) p.ctx.app = app
await plugins.loader.registerAndBoot()

for (const { manifest, root, ctx } of loaded) {
  const views = join(root, manifest.paths?.views ?? 'resources/views')
  if (existsSync(views)) edge.mount(manifest.id, views)

  if (manifest.routes) {
    const register = await loadRoutes(manifest.id, 'routes', manifest.routes)
    router
      .group(() => {
        register(ctx)
      })
      .prefix(`/app/${kebab(manifest.id)}`)
      .as(manifest.id)
      .use([middleware.tenant(), middleware.auth(), middleware.plugin({ id: manifest.id })])
  }
  if (manifest.api) {
    const register = await loadRoutes(manifest.id, 'api', manifest.api)
    router
      .group(() => {
        register(ctx)
      })
      .prefix('/api/v1')
      .as(`api.${manifest.id}`)
      .use([middleware.api(), middleware.plugin({ id: manifest.id })])
  }
  if (manifest.publicRoutes) {
    const register = await loadRoutes(manifest.id, 'publicRoutes', manifest.publicRoutes)
    router
      .group(() => {
        register(ctx)
      })
      .as(`${manifest.id}.public`)
      .use([middleware.tenant(), middleware.plugin({ id: manifest.id })])
  }
}

app.terminating(async () => {
  await plugins.loader.shutdown()
})

/* Keep the permission catalogue in step with the installed plugins (web process only) */
if (app.getEnvironment() === 'web') {
  app.ready(async () => {
    try {
      await plugins.syncPermissions()
    } catch (error) {
      const logger = await app.container.make('logger')
      logger.warn({ err: error }, 'permission sync skipped (run the migrations first)')
    }
  })
}
