/* Settings → Numbering under /app/invoicing/settings/numbering */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import SettingsNavMiddleware from '#middleware/settings_nav_middleware'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

const NumberingSeriesController = () => import('../controllers/numbering_series_controller.js')
const settingsNav = new SettingsNavMiddleware()
const nav = (ctx: HttpContext, next: NextFn) => settingsNav.handle(ctx, next)
const can = middleware.can(['invoicing.settings.manage'])
const id = router.matchers.number()

export default function () {
  router.get('/settings/numbering', [NumberingSeriesController, 'index']).as('numbering.index').use([can, nav])
  router.get('/settings/numbering/new', [NumberingSeriesController, 'create']).as('numbering.create').use([can, nav])
  router.get('/settings/numbering/preview', [NumberingSeriesController, 'preview']).as('numbering.preview').use(can)
  router.post('/settings/numbering', [NumberingSeriesController, 'store']).as('numbering.store').use(can)
  router.get('/settings/numbering/:id/edit', [NumberingSeriesController, 'edit']).as('numbering.edit').where('id', id).use([can, nav])
  router.post('/settings/numbering/:id', [NumberingSeriesController, 'update']).as('numbering.update').where('id', id).use(can)
}
