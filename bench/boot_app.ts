/*
| Boots the application in-process (console environment) for benchmarks that drive services
| directly rather than over HTTP.
*/
export async function bootConsoleApp(appRoot: URL) {
  await import('reflect-metadata')
  const { Ignitor } = await import('@adonisjs/core')
  const ignitor = new Ignitor(appRoot, {
    importer: (path) =>
      path.startsWith('./') || path.startsWith('../') ? import(new URL(path, appRoot).href) : import(path),
  })
  const app = ignitor.createApp('console')
  app.booting(async () => {
    await import('#start/env')
  })
  await app.init()
  await app.boot()
  await app.start(async () => {})
  return app
}
