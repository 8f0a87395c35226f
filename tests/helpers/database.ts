/*
| Test database lifecycle: migrate a fresh database before the run, remove it after.
*/
import { rmSync } from 'node:fs'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import ace from '@adonisjs/core/services/ace'
import plugins from '#kernel/plugin_service'

export async function setupTestDatabase() {
  if (process.env.DB_CONNECTION === 'pg') {
    const schema = process.env.PG_SCHEMA!
    await db.rawQuery(`drop schema if exists "${schema}" cascade`)
    await db.rawQuery(`create schema "${schema}"`)
  }
  const command = await ace.exec('migration:run', ['--force', '--compact-output'])
  if (command.exitCode !== 0) {
    throw command.error ?? new Error('test migrations failed')
  }
  await plugins.syncPermissions()
}

export async function teardownTestDatabase() {
  if (process.env.DB_CONNECTION === 'pg') {
    await db.rawQuery(`drop schema if exists "${process.env.PG_SCHEMA}" cascade`)
  }
  await db.manager.closeAll()
  if (process.env.DB_CONNECTION !== 'pg' && process.env.SQLITE_PATH) {
    /* WAL mode keeps two companion files next to the database */
    for (const suffix of ['', '-wal', '-shm']) rmSync(app.makePath(`${process.env.SQLITE_PATH}${suffix}`), { force: true })
  }
}
