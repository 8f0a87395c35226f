import { BaseSchema } from '@adonisjs/lucid/schema'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { GENESIS_HASH, chainKeyOf, entryHash, type ChainRow } from '#services/audit_chain'

/*
| Turns audit_logs into an append-only hash chain: chain columns (existing rows are chained in id
| order), a chain-heads table (the head each writer locks, and the anchor left by retention
| pruning), prune permits, and triggers that refuse UPDATE and DELETE except a permitted prune.
*/
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('audit_logs', (table) => {
      table.integer('chain_seq').nullable()
      table.string('prev_hash', 64).nullable()
      table.string('hash', 64).nullable()
      table.index(['tenant_id', 'chain_seq'])
    })

    this.schema.createTable('audit_chain_heads', (table) => {
      /* 'tenant:<id>' or 'platform' */
      table.string('chain_key', 40).primary()
      table.integer('tenant_id').unsigned().nullable().references('tenants.id').onDelete('CASCADE')
      table.integer('last_seq').notNullable().defaultTo(0)
      table.string('last_hash', 64).notNullable().defaultTo(GENESIS_HASH)
      /* the last pruned entry: verification starts after it */
      table.integer('anchor_seq').notNullable().defaultTo(0)
      table.string('anchor_hash', 64).notNullable().defaultTo(GENESIS_HASH)
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id'])
    })

    /* A row here lets the retention job delete one chain's entries up to a sequence number */
    this.schema.createTable('audit_prune_permits', (table) => {
      table.increments('id')
      table.integer('tenant_id').unsigned().nullable()
      table.integer('up_to_seq').notNullable()
    })

    this.defer((db) => this.backfill(db))

    const permitted = `EXISTS (SELECT 1 FROM audit_prune_permits p
      WHERE (p.tenant_id = OLD.tenant_id OR (p.tenant_id IS NULL AND OLD.tenant_id IS NULL))
      AND OLD.chain_seq <= p.up_to_seq)`
    if (this.db.dialect.name === 'postgres') {
      this.schema.raw(`
        CREATE FUNCTION audit_logs_guard() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND ${permitted} THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'audit_logs is append-only (% refused)', TG_OP;
        END
        $$ LANGUAGE plpgsql`)
      this.schema.raw(
        'CREATE TRIGGER audit_logs_append_only BEFORE UPDATE OR DELETE ON audit_logs FOR EACH ROW EXECUTE FUNCTION audit_logs_guard()'
      )
      this.schema.raw(
        'CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit_logs FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_guard()'
      )
    } else {
      this.schema.raw(`
        CREATE TRIGGER audit_logs_no_update BEFORE UPDATE ON audit_logs
        BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only (UPDATE refused)'); END`)
      this.schema.raw(`
        CREATE TRIGGER audit_logs_no_delete BEFORE DELETE ON audit_logs WHEN NOT ${permitted}
        BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only (DELETE refused)'); END`)
    }
  }

  private async backfill(db: QueryClientContract) {
    const heads = new Map<string, { tenantId: number | null; seq: number; hash: string }>()
    const rows: Array<ChainRow & { id: number }> = await db.from('audit_logs').orderBy('id', 'asc')
    for (const row of rows) {
      const tenantId = row.tenant_id === null ? null : Number(row.tenant_id)
      const key = chainKeyOf(tenantId)
      const head = heads.get(key) ?? { tenantId, seq: 0, hash: GENESIS_HASH }
      const chained = { ...row, chain_seq: head.seq + 1, prev_hash: head.hash }
      const hash = entryHash(chained)
      await db.from('audit_logs').where('id', row.id).update({ chain_seq: chained.chain_seq, prev_hash: head.hash, hash })
      heads.set(key, { tenantId, seq: chained.chain_seq, hash })
    }
    for (const [key, head] of heads) {
      await db.table('audit_chain_heads').insert({
        chain_key: key,
        tenant_id: head.tenantId,
        last_seq: head.seq,
        last_hash: head.hash,
        updated_at: new Date(),
      })
    }
  }
}
