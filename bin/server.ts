/*
| HTTP server entrypoint: `node bin/server.js` in production, started by `node ace serve` in
| development.
|
| SIGTERM and SIGINT stop it gracefully: the listener closes, idle keep-alive connections are
| dropped, event streams (SSE) end, in-flight requests finish and their connections close after
| the response, then plugins, the database and Redis shut down and the process exits. A container runtime kills after 10 s,
| so SHUTDOWN_TIMEOUT_MS (default 8000) cuts the remaining connections and a hard exit follows
| one second later. A second signal exits at once.
*/

import type { ServerResponse } from 'node:http'

await import('reflect-metadata')
const { Ignitor, prettyPrintError } = await import('@adonisjs/core')

const APP_ROOT = new URL('../', import.meta.url)

const IMPORTER = (filePath: string) => {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}

new Ignitor(APP_ROOT, { importer: IMPORTER })
  .tap((app) => {
    app.booting(async () => {
      await import('#start/env')
    })

    /* Event streams (SSE) never end by themselves: shutdown ends them and browsers reconnect */
    const eventStreams = new Set<ServerResponse>()
    app.ready(async () => {
      const nodeServer = (await app.container.make('server')).getNodeServer()
      nodeServer?.on('request', (request, response) => {
        if (!request.headers.accept?.includes('text/event-stream')) return
        eventStreams.add(response)
        response.once('close', () => eventStreams.delete(response))
      })
    })

    const stop = async (signal: NodeJS.Signals) => {
      /* Before boot there is nothing to drain; after it, ready hooks may still be running */
      if (!app.isBooted) process.exit(signal === 'SIGINT' ? 130 : 143)
      const startedAt = performance.now()
      /* Read here, not at the top: the .env file is in process.env only once the app booted */
      const deadlineMs = Number(process.env.SHUTDOWN_TIMEOUT_MS) || 8000
      const logger = await app.container.make('logger')
      logger.info('%s received, draining connections', signal)

      const nodeServer = (await app.container.make('server')).getNodeServer()
      for (const stream of eventStreams) stream.end()
      /* server.close() drops idle keep-alive connections once; these become idle later */
      setInterval(() => nodeServer?.closeIdleConnections(), 100).unref()
      setTimeout(() => {
        logger.warn('shutdown deadline of %d ms passed, closing open connections', deadlineMs)
        process.exitCode = 1
        nodeServer?.closeAllConnections()
        setTimeout(() => process.exit(1), 1000).unref()
      }, deadlineMs).unref()

      try {
        /* Closes the HTTP server first (registered last, run first), then providers: db, redis */
        await app.terminate()
        logger.info('stopped in %d ms', Math.round(performance.now() - startedAt))
      } catch (error) {
        process.exitCode = 1
        logger.error({ err: error }, 'error while shutting down')
      }
      process.exit()
    }
    app.listenOnce('SIGTERM', stop)
    app.listenOnce('SIGINT', stop)
  })
  .httpServer()
  .start()
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
