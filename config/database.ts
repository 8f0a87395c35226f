import { isAbsolute } from 'node:path'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'
import { pluginMigrationPaths } from '#config/plugins'

/* SQLITE_PATH may be absolute (e.g. /data/coderon.sqlite3 in the image) or relative to the app */
function sqliteFile(path: string) {
  return isAbsolute(path) ? path : app.makePath(path)
}

const migrationPaths = ['database/migrations', ...pluginMigrationPaths()]

const dbConfig = defineConfig({
  connection: env.get('DB_CONNECTION'),
  prettyPrintDebugQueries: true,
  connections: {
    sqlite: {
      client: 'better-sqlite3',
      connection: {
        filename: sqliteFile(env.get('SQLITE_PATH') || 'storage/coderon.sqlite3'),
      },
      useNullAsDefault: true,
      pool: {
        /* WAL: the web process and job workers share the file without readers blocking the
           writer, and a commit costs one fsync instead of several */
        afterCreate: (conn: { pragma(sql: string): unknown }, done: (error: Error | null, conn: unknown) => void) => {
          conn.pragma('journal_mode = WAL')
          done(null, conn)
        },
      },
      /* Models declare their columns by hand; no generated schema classes */
      schemaGeneration: { enabled: false },
      migrations: { naturalSort: true, paths: migrationPaths },
      seeders: { paths: ['database/seeders'] },
      debug: false,
    },
    pg: {
      client: 'pg',
      connection: {
        host: env.get('PG_HOST', '127.0.0.1'),
        port: env.get('PG_PORT', 5432),
        user: env.get('PG_USER', 'postgres'),
        password: env.get('PG_PASSWORD')?.release(),
        database: env.get('PG_DB_NAME', 'coderon'),
      },
      schemaGeneration: { enabled: false },
      searchPath: env.get('PG_SCHEMA') ? [env.get('PG_SCHEMA')!] : undefined,
      migrations: { naturalSort: true, paths: migrationPaths },
      seeders: { paths: ['database/seeders'] },
      debug: false,
    },
  },
})

export default dbConfig
