/*
| Tenant theme: validated tokens only (never raw CSS), rendered as CSS custom properties, with a
| WCAG contrast check on save. PDFs reuse the same tokens.
*/
import vine from '@vinejs/vine'

export const FONTS = {
  system: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  inter: '"Inter", system-ui, sans-serif',
  serif: 'Georgia, "Times New Roman", serif',
  humanist: '"Gill Sans", "Trebuchet MS", Calibri, sans-serif',
  mono: 'ui-monospace, "SFMono-Regular", Menlo, monospace',
} as const

export type FontKey = keyof typeof FONTS

export interface ThemeTokens {
  primary: string
  accent: string
  surface: string
  text: string
  surfaceDark: string
  textDark: string
  font: FontKey
  radius: number
  logoUrl: string | null
  mode: 'light' | 'dark' | 'auto'
}

export const DEFAULT_THEME: ThemeTokens = {
  primary: '#3348d1',
  accent: '#0f766e',
  surface: '#ffffff',
  text: '#1b1f2a',
  surfaceDark: '#151821',
  textDark: '#e8eaf1',
  font: 'system',
  radius: 8,
  logoUrl: null,
  mode: 'auto',
}

const hex = () => vine.string().trim().regex(/^#[0-9a-fA-F]{6}$/)

export const themeValidator = vine.create(
  vine.object({
    primary: hex(),
    accent: hex(),
    surface: hex(),
    text: hex(),
    surfaceDark: hex(),
    textDark: hex(),
    font: vine.enum(Object.keys(FONTS) as FontKey[]),
    radius: vine.number().min(0).max(24),
    logoUrl: vine
      .string()
      .trim()
      .url({ protocols: ['https', 'http'], require_tld: false })
      .maxLength(500)
      .nullable()
      .optional(),
    mode: vine.enum(['light', 'dark', 'auto'] as const),
  })
)

export function resolveTheme(partial: Partial<ThemeTokens> | null | undefined): ThemeTokens {
  return { ...DEFAULT_THEME, ...(partial ?? {}) }
}

function channel(c: number) {
  const s = c / 255
  return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4)
}

export function luminance(color: string) {
  const n = Number.parseInt(color.slice(1), 16)
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
}

/** WCAG 2.x contrast ratio between two #rrggbb colours */
export function contrastRatio(a: string, b: string) {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (l1 + 0.05) / (l2 + 0.05)
}

/** Text drawn on a brand colour: white or near-black, whichever contrasts more */
export function onColor(background: string) {
  return contrastRatio(background, '#ffffff') >= contrastRatio(background, '#111111') ? '#ffffff' : '#111111'
}

export interface ContrastProblem {
  field: keyof ThemeTokens
  ratio: number
  against: string
  minimum: number
}

/** WCAG 2.2 AA: 4.5:1 for text, 3:1 for UI components (buttons, links as non-text cues) */
export function checkContrast(theme: ThemeTokens): ContrastProblem[] {
  const problems: ContrastProblem[] = []
  const check = (field: keyof ThemeTokens, fg: string, bg: string, minimum: number, against: string) => {
    const ratio = contrastRatio(fg, bg)
    if (ratio < minimum) problems.push({ field, ratio: Math.round(ratio * 100) / 100, against, minimum })
  }
  check('text', theme.text, theme.surface, 4.5, 'surface')
  check('textDark', theme.textDark, theme.surfaceDark, 4.5, 'surfaceDark')
  check('primary', theme.primary, theme.surface, 4.5, 'surface')
  check('accent', theme.accent, theme.surface, 3, 'surface')
  return problems
}

function mix(a: string, b: string, weight: number) {
  const pa = Number.parseInt(a.slice(1), 16)
  const pb = Number.parseInt(b.slice(1), 16)
  const c = (shift: number) =>
    Math.round(((pa >> shift) & 255) * (1 - weight) + ((pb >> shift) & 255) * weight)
  return '#' + [16, 8, 0].map((s) => c(s).toString(16).padStart(2, '0')).join('')
}

/** Lightens a brand colour until it reads on the dark surface (for links in dark mode) */
function readableOn(color: string, surface: string) {
  let current = color
  for (let i = 1; i <= 10 && contrastRatio(current, surface) < 4.5; i++) {
    current = mix(color, '#ffffff', i / 10)
  }
  return current
}

/** Renders the tokens as CSS custom properties. Values are validated, so no escaping is needed. */
export function themeCss(theme: ThemeTokens) {
  const light = [
    `--cf-primary:${theme.primary}`,
    `--cf-on-primary:${onColor(theme.primary)}`,
    `--cf-accent:${theme.accent}`,
    `--cf-surface:${theme.surface}`,
    `--cf-surface-2:${mix(theme.surface, theme.text, 0.04)}`,
    `--cf-border:${mix(theme.surface, theme.text, 0.45)}`,
    `--cf-text:${theme.text}`,
    `--cf-muted:${mix(theme.text, theme.surface, 0.3)}`,
    `--cf-link:${theme.primary}`,
    `--cf-font:${FONTS[theme.font]}`,
    `--cf-radius:${theme.radius}px`,
  ].join(';')
  const dark = [
    `--cf-surface:${theme.surfaceDark}`,
    `--cf-surface-2:${mix(theme.surfaceDark, theme.textDark, 0.06)}`,
    `--cf-border:${mix(theme.surfaceDark, theme.textDark, 0.45)}`,
    `--cf-text:${theme.textDark}`,
    `--cf-muted:${mix(theme.textDark, theme.surfaceDark, 0.3)}`,
    `--cf-link:${readableOn(theme.primary, theme.surfaceDark)}`,
  ].join(';')
  return (
    `:root{${light}}` +
    `:root[data-theme="dark"]{${dark}}` +
    `@media (prefers-color-scheme: dark){:root:not([data-theme="light"]){${dark}}}`
  )
}
