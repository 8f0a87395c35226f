/*
| The one Liquid engine for tenant-written templates (PDF designs, email templates). Tenant input is
| data, never code: no file system (the template map is empty and include/render/layout refuse),
| output escaped unless a template says `| raw`, own properties only, and limits on template size,
| parse work, render time and memory so a template cannot hang or bloat a worker.
*/
import { Liquid } from 'liquidjs'

export const MAX_TEMPLATE_CHARS = 100_000
export const MAX_OUTPUT_CHARS = 2_000_000

export class TemplateError extends Error {
  readonly code = 'E_TEMPLATE_INVALID'
  constructor(message: string) {
    super(message)
  }
}

const refuse: Parameters<Liquid['registerTag']>[1] = {
  parse() {
    throw new Error('partials are not available in templates')
  },
  *render() {},
}

function makeEngine(outputEscape: 'escape' | undefined) {
  const engine = new Liquid({
    templates: {},
    outputEscape,
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    jsTruthy: false,
    cache: false,
    parseLimit: MAX_TEMPLATE_CHARS * 4,
    renderLimit: 2_000,
    memoryLimit: 64 * 1024 * 1024,
  })
  for (const tag of ['include', 'render', 'layout', 'block']) engine.registerTag(tag, refuse)
  return engine
}

/** HTML output: every `{{ }}` is escaped */
const html = makeEngine('escape')
/** Plain-text output (email subjects and text bodies): no HTML escaping, nothing is parsed as HTML */
const text = makeEngine(undefined)

function engineFor(mode: 'html' | 'text') {
  return mode === 'html' ? html : text
}

/** Parses `source` and answers the first error, for the editors' field errors */
export function checkTemplate(source: string, mode: 'html' | 'text' = 'html'): string | null {
  if (source.length > MAX_TEMPLATE_CHARS) return `Template too long (max ${MAX_TEMPLATE_CHARS} characters)`
  try {
    engineFor(mode).parse(source)
    return null
  } catch (error) {
    return (error as Error).message.split('\n')[0]
  }
}

export async function renderTemplate(
  source: string,
  context: Record<string, unknown>,
  mode: 'html' | 'text' = 'html'
): Promise<string> {
  if (source.length > MAX_TEMPLATE_CHARS) throw new TemplateError(`Template too long (max ${MAX_TEMPLATE_CHARS} characters)`)
  let output: string
  try {
    const engine = engineFor(mode)
    output = await engine.parseAndRender(source, context)
  } catch (error) {
    throw new TemplateError((error as Error).message.split('\n')[0])
  }
  if (output.length > MAX_OUTPUT_CHARS) throw new TemplateError('Template output too large')
  return output
}
