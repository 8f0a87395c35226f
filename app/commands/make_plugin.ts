/*
| `node ace make:plugin <name>`: scaffolds plugins/<id>/ from stubs/make_plugin and registers it
| in config/plugins.ts above the `// make:plugin inserts here` marker. The hidden `--root=<dir>`
| flag writes into another application root (the tests use a throwaway copy).
*/
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import string from '@adonisjs/core/helpers/string'
import { BaseCommand, args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

const MARKER = '// make:plugin inserts here'
const ID = /^[a-z][a-z0-9_]*$/
/* Ids whose /app/<kebab> prefix the kernel already uses, or that name the kernel itself */
const RESERVED = ['kernel', 'app', 'api', 'settings', 'widgets', 'preferences', 'account', 'platform', 'portal']

export default class MakePlugin extends BaseCommand {
  static commandName = 'make:plugin'
  static description = 'Scaffold a plugin in plugins/<id>/ and register it in config/plugins.ts'
  /* Unknown flags are refused in run(), except the hidden --root */
  static options: CommandOptions = { allowUnknownFlags: true }

  @args.string({ description: 'Plugin id in snake_case, e.g. invoice_reminders' })
  declare name: string

  async run() {
    const unknown = this.parsed.unknownFlags.filter((flag: string) => flag !== 'root')
    if (unknown.length) return this.fail(`Unknown flag "--${unknown[0]}"`)
    const root = resolve(this.parsed.flags.root ? String(this.parsed.flags.root) : this.app.makePath())

    const id = ID.test(this.name) ? this.name : string.snakeCase(this.name)
    if (!ID.test(id)) return this.fail(`"${this.name}" does not make a plugin id (snake_case: a-z, 0-9, _)`)
    if (RESERVED.includes(id)) return this.fail(`"${id}" is reserved by the kernel; choose another name`)

    const configPath = join(root, 'config/plugins.ts')
    const folder = join(root, 'plugins', id)
    if (existsSync(folder)) return this.fail(`plugins/${id} already exists`)
    if (!existsSync(configPath)) return this.fail(`${configPath} is missing`)
    const config = await readFile(configPath, 'utf8')
    if (config.includes(`localPlugin('${id}'`)) return this.fail(`"${id}" is already registered in config/plugins.ts`)
    const markerLine = config.split('\n').find((line) => line.trim() === MARKER)
    if (!markerLine) return this.fail(`config/plugins.ts has no "${MARKER}" line`)

    const tokens = tokensFor(id)
    const stubs = this.app.makePath('stubs/make_plugin')
    for (const stub of await stubFiles(stubs)) {
      const target = join(folder, render(relative(stubs, stub), tokens).replace(/\.stub$/, ''))
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target, render(await readFile(stub, 'utf8'), tokens))
      this.logger.action(`create ${relative(root, target)}`).succeeded()
    }

    const indent = markerLine.slice(0, markerLine.indexOf(MARKER))
    await writeFile(configPath, config.replace(markerLine, `${indent}localPlugin('${id}'),\n${markerLine}`))
    this.logger.action(`update config/plugins.ts`).succeeded()

    this.logger.log('')
    this.logger.info(`Next: node ace migration:run, then restart the server: "${tokens.title}" is in the navigation.`)
    this.logger.info(`Its tests: node ace test functional --files plugins/${id}/tests/functional/${id}.spec.ts`)
  }

  private fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
  }
}

function tokensFor(id: string) {
  const title = string.sentenceCase(id)
  return {
    id,
    kebab: id.replace(/_/g, '-'),
    camel: string.camelCase(id),
    title,
    title_lower: title.toLowerCase(),
    /* Same naming as make:migration, so the file sorts after the ones that exist */
    timestamp: String(Date.now()),
  }
}

function render(text: string, tokens: Record<string, string>) {
  return text.replace(/%%(\w+)%%/g, (match, key: string) => tokens[key] ?? match)
}

async function stubFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const files = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name)
      return entry.isDirectory() ? stubFiles(path) : Promise.resolve([path])
    })
  )
  return files.flat().sort()
}
