/*
| Cursor (keyset) pagination, filtering and sorting for /api list endpoints, shared by the kernel
| and plugins. A listing declares its sortable columns and filter fields once:
|
|   const notes = defineListing({
|     sorts: { created_at: 'sample_notes.created_at', body: 'sample_notes.body' },
|     defaultSort: '-created_at',
|     filters: { q: vine.string().trim().maxLength(100).optional() },
|   })
|   const params = await notes.validate(ctx)          // 422 problem listing bad fields
|   const query = Note.query()                        // + filters from params
|   return notes.respond(ctx, await notes.paginate(query, params), serialize)
|
| The cursor is opaque to clients (base64url JSON of the last row's sort value and id) and only
| valid for the sort it was made with. Sortable columns must be NOT NULL; ties break on the id.
*/
import vine from '@vinejs/vine'
import type { HttpContext } from '@adonisjs/core/http'
import type { FieldContext, SchemaTypes, Infer } from '@vinejs/vine/types'

export const DEFAULT_LIMIT = 25
export const MAX_LIMIT = 100

const SORT_VALUE = '__cursor_sort'
const ID_VALUE = '__cursor_id'

interface CursorState {
  /** the sort it was issued for */
  s: string
  /** sort value of the last row */
  v: string | number
  /** id of the last row */
  i: number | string
}

export function encodeCursor(state: CursorState) {
  return Buffer.from(JSON.stringify(state)).toString('base64url')
}

export function decodeCursor(value: string): CursorState | null {
  if (!/^[A-Za-z0-9_-]{1,1000}$/.test(value)) return null
  try {
    const state = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
    const scalar = (x: unknown) => typeof x === 'string' || typeof x === 'number'
    if (!state || typeof state.s !== 'string' || !scalar(state.v) || !scalar(state.i)) return null
    return state as CursorState
  } catch {
    return null
  }
}

/* A cursor must decode and belong to the requested sort (a cursor from another sort would skip rows) */
const cursorRule = vine.createRule<{ defaultSort: string }>(
  (value, options, field: FieldContext) => {
    const state = typeof value === 'string' ? decodeCursor(value) : null
    const sort = (field.parent as Record<string, unknown>)?.sort ?? options.defaultSort
    if (!state || state.s !== sort) field.report('The cursor is invalid for this request', 'cursor', field)
  },
  { name: 'cursor' }
)

interface ListingOptions<Sorts extends Record<string, string>, Filters extends Record<string, SchemaTypes>> {
  /** public sort key → qualified column, e.g. { email: 'users.email' } */
  sorts: Sorts
  defaultSort: (keyof Sorts & string) | `-${keyof Sorts & string}`
  filters?: Filters
  /** tie-breaking unique column (default `<table of the first sort>.id`) */
  idColumn?: string
}

export interface Page<Row> {
  rows: Row[]
  nextCursor: string | null
}

export function defineListing<
  Sorts extends Record<string, string>,
  Filters extends Record<string, SchemaTypes> = {},
>(options: ListingOptions<Sorts, Filters>) {
  type Sort = keyof Sorts & string
  const keys = Object.keys(options.sorts) as Sort[]
  const sortValues = [...keys, ...keys.map((k) => `-${k}`)] as Array<Sort | `-${Sort}`>
  const firstColumn = options.sorts[keys[0]]
  const idColumn = options.idColumn ?? `${firstColumn.includes('.') ? firstColumn.split('.')[0] + '.' : ''}id`

  const schema = vine.object({
    ...(options.filters ?? ({} as Filters)),
    limit: vine.number().withoutDecimals().range([1, MAX_LIMIT]).optional(),
    sort: vine.enum(sortValues).optional(),
    cursor: vine
      .string()
      .maxLength(1000)
      .use(cursorRule({ defaultSort: options.defaultSort }))
      .optional(),
  })
  const validator = vine.create(schema)

  type Params = { [K in keyof Filters]: Infer<Filters[K]> } & {
    limit: number
    sort: Sort | `-${Sort}`
    cursor?: string
  }

  return {
    sortValues,

    /** Validates the query string; a bad field answers 422 with every offending field */
    async validate(ctx: HttpContext): Promise<Params> {
      const data: Record<string, any> = await ctx.request.validateUsing(validator, { data: ctx.request.qs() })
      return { ...data, limit: data.limit ?? DEFAULT_LIMIT, sort: data.sort ?? options.defaultSort } as Params
    },

    /**
     * Applies order, cursor and limit to a Lucid query (model or plain) and runs it. Fetches one
     * row more than asked to know whether another page follows.
     */
    async paginate<Row>(
      query: { select: Function; orderBy: Function; where: Function; limit: Function } & PromiseLike<Row[]>,
      params: Params
    ): Promise<Page<Row>> {
      const descending = params.sort.startsWith('-')
      const key = (descending ? params.sort.slice(1) : params.sort) as Sort
      const column: string = options.sorts[key]
      const direction = descending ? 'desc' : 'asc'
      const op = descending ? '<' : '>'
      const table = idColumn.includes('.') ? idColumn.split('.')[0] : null
      query.select(table ? `${table}.*` : '*', `${column} as ${SORT_VALUE}`, `${idColumn} as ${ID_VALUE}`)
      const state = params.cursor ? decodeCursor(params.cursor) : null
      if (state) {
        /* Redundant with the OR below, but it bounds the index range: without it SQLite scans
           the sort index from the first row to the cursor (a deep page cost as much as all before it) */
        query.where(column, `${op}=`, state.v)
        query.where((q: any) => {
          q.where(column, op, state.v).orWhere((inner: any) => {
            inner.where(column, state.v).where(idColumn, op, state.i)
          })
        })
      }
      query.orderBy(column, direction).orderBy(idColumn, direction).limit(params.limit + 1)
      const rows = await query
      const more = rows.length > params.limit
      const page = more ? rows.slice(0, params.limit) : rows
      const last = page[page.length - 1] as any
      let nextCursor: string | null = null
      if (more && last) {
        const extras = last.$extras ?? last
        const v = extras[SORT_VALUE]
        nextCursor = encodeCursor({ s: params.sort, v: v instanceof Date ? v.toISOString() : v, i: extras[ID_VALUE] })
      }
      return { rows: page, nextCursor }
    },

    /** `{ data, next_cursor }` plus a `Link: <…>; rel="next"` header when there is a next page */
    respond<Row, Out>(ctx: HttpContext, page: Page<Row>, serialize: (row: Row) => Out) {
      if (page.nextCursor) ctx.response.header('Link', `<${nextUrl(ctx, page.nextCursor)}>; rel="next"`)
      return { data: page.rows.map(serialize), next_cursor: page.nextCursor }
    },
  }
}

function nextUrl(ctx: HttpContext, cursor: string) {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(ctx.request.qs())) {
    if (name === 'cursor') continue
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v))
  }
  params.set('cursor', cursor)
  const base = `${ctx.request.protocol()}://${ctx.request.host()}${ctx.request.url()}`
  return `${base}?${params.toString()}`
}

/** Escapes LIKE wildcards so a search term matches literally (use with `escape '\\'`) */
export function likeContains(term: string) {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
