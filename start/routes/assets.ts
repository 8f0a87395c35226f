/*
| Front-end libraries served straight from node_modules (no bundler): an allowlist, cached.
*/
import router from '@adonisjs/core/services/router'
import app from '@adonisjs/core/services/app'
import { createReadStream } from 'node:fs'

const VENDOR: Record<string, string> = {
  'htmx.js': 'node_modules/htmx.org/dist/htmx.min.js',
  'alpine.js': 'node_modules/@alpinejs/csp/dist/cdn.min.js',
  /* passkey sign-in and registration (public/js/passkeys.js) */
  'simplewebauthn.js': 'node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js',
  /* the /api/docs page */
  'scalar.js': 'node_modules/@scalar/api-reference/dist/browser/standalone.js',
}

router
  .get('/assets/vendor/:file', async ({ params, response }) => {
    const path = VENDOR[params.file]
    if (!path) return response.notFound('Not found')
    response.header('content-type', 'text/javascript; charset=utf-8')
    response.header('cache-control', 'public, max-age=86400')
    return response.stream(createReadStream(app.makePath(path)))
  })
  .as('assets.vendor')
