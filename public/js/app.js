/*
| Front-end behaviour of the shell: Alpine components for local UI state (CSP build: registered
| here, templates only name methods and properties) and reactions to HTMX events (errors that are
| not swapped in, focus and progress during boosted navigation).
*/
const THEME_KEY = 'cf-theme-mode'
const MODES = ['auto', 'light', 'dark']
const TOAST_MS = 6000

function nextMode(mode) {
  return MODES[(MODES.indexOf(mode) + 1) % MODES.length]
}

function showToast(message, kind) {
  const region = document.getElementById('toasts')
  const template = document.getElementById('toast-template')
  if (!region || !template) return
  const toast = template.content.firstElementChild.cloneNode(true)
  toast.classList.replace('toast-error', `toast-${kind}`)
  toast.querySelector('.toast-message').textContent = message
  region.append(toast)
}

document.addEventListener('alpine:init', () => {
  const Alpine = window.Alpine

  /* Light → dark → automatic, remembered in this browser. Without JS the form posts the next mode. */
  Alpine.data('themeToggle', () => ({
    mode: 'auto',
    labels: {},
    init() {
      const mode = document.documentElement.dataset.theme
      this.mode = MODES.includes(mode) ? mode : 'auto'
      const { labelAuto, labelLight, labelDark } = this.$root.dataset
      this.labels = { auto: labelAuto, light: labelLight, dark: labelDark }
    },
    get label() {
      return this.labels[this.mode]
    },
    cycle() {
      this.mode = nextMode(this.mode)
      document.documentElement.dataset.theme = this.mode
      this.$refs.next.value = nextMode(this.mode)
      try {
        localStorage.setItem(THEME_KEY, this.mode)
      } catch {
        /* storage blocked by privacy settings: the choice lasts until the next full page load */
      }
    },
  }))

  /* A <details> menu: Escape closes it and returns focus to its button; so does leaving it */
  Alpine.data('dropdown', () => ({
    close() {
      this.$root.open = false
    },
    dismiss() {
      if (!this.$root.open) return
      this.close()
      this.$refs.trigger.focus()
    },
    leave(event) {
      if (event.relatedTarget && !this.$root.contains(event.relatedTarget)) this.close()
    },
  }))

  /* The sidebar is a drawer on small screens */
  Alpine.data('shell', () => ({
    navOpen: false,
    get shellClass() {
      return { 'nav-open': this.navOpen }
    },
    toggleNav() {
      this.navOpen = !this.navOpen
      if (this.navOpen) this.$nextTick(() => document.querySelector('#sidebar a')?.focus())
    },
    closeNav() {
      if (!this.navOpen) return
      this.navOpen = false
      this.$refs.navToggle.focus()
    },
  }))

  /* Theme settings: shows the form's colours, font and radius in the preview while editing */
  const HEX = /^#[0-9a-f]{6}$/i
  const luminance = (hex) => {
    const n = Number.parseInt(hex.slice(1), 16)
    const ch = (c) => {
      const s = c / 255
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * ch((n >> 16) & 255) + 0.7152 * ch((n >> 8) & 255) + 0.0722 * ch(n & 255)
  }
  const contrast = (a, b) => {
    const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x)
    return (l1 + 0.05) / (l2 + 0.05)
  }

  /* It also runs on init: after an HTMX swap the page's own preview style block is refused by CSP */
  Alpine.data('themePreview', () => ({
    init() {
      this.update()
    },
    update() {
      const form = this.$root.querySelector('form')
      const preview = this.$root.querySelector('#kernel-theme-preview')
      if (!form || !preview) return
      const value = (name) => form.elements.namedItem(name)?.value ?? ''
      const fonts = JSON.parse(preview.dataset.fonts || '{}')
      const colours = {
        light: { surface: value('surface'), text: value('text') },
        dark: { surface: value('surfaceDark'), text: value('textDark') },
      }
      for (const pane of preview.querySelectorAll('[data-preview]')) {
        const own = colours[pane.dataset.preview]
        const set = (prop, v) => HEX.test(v) && pane.style.setProperty(prop, v)
        set('--cf-primary', value('primary'))
        set('--cf-link', value('primary'))
        set('--cf-accent', value('accent'))
        set('--cf-surface', own.surface)
        set('--cf-text', own.text)
        if (HEX.test(value('primary'))) {
          const onPrimary = contrast(value('primary'), '#ffffff') >= contrast(value('primary'), '#111111') ? '#ffffff' : '#111111'
          pane.style.setProperty('--cf-on-primary', onPrimary)
        }
        if (fonts[value('font')]) pane.style.setProperty('--cf-font', fonts[value('font')])
        const radius = Number(value('radius'))
        if (Number.isInteger(radius) && radius >= 0 && radius <= 24) pane.style.setProperty('--cf-radius', `${radius}px`)
      }
      for (const row of preview.querySelectorAll('[data-contrast]')) {
        const [fg, bg, minimum] = row.dataset.contrast.split(':')
        if (!HEX.test(value(fg)) || !HEX.test(value(bg))) continue
        const ratio = contrast(value(fg), value(bg))
        const ok = ratio >= Number(minimum)
        row.querySelector('[data-ratio]').textContent = `${(Math.round(ratio * 100) / 100).toLocaleString(document.documentElement.lang)}:1`
        row.classList.toggle('contrast-ok', ok)
        row.classList.toggle('contrast-fail', !ok)
        const verdict = row.querySelector('[data-verdict]')
        verdict.textContent = ok ? verdict.dataset.ok : verdict.dataset.fail
      }
    },
  }))

  /* Dismisses itself after a while, but never while the pointer or focus is on it */
  Alpine.data('toast', () => ({
    timer: null,
    init() {
      this.resume()
    },
    pause() {
      clearTimeout(this.timer)
    },
    resume() {
      this.pause()
      this.timer = setTimeout(() => this.dismiss(), TOAST_MS)
    },
    dismiss() {
      this.pause()
      this.$root.remove()
    },
  }))
})

/* A lazy dashboard widget that failed keeps its card and says so, instead of loading forever */
function failWidget(ctx) {
  const widget = ctx?.sourceElement?.closest?.('.widget-body')
  if (!widget) return false
  const note = document.createElement('p')
  note.className = 'widget-error'
  note.textContent = widget.dataset.loadFailed
  widget.replaceChildren(note)
  return true
}

function isFullNavigation(ctx) {
  return ctx.request.headers['HX-Request-Type'] === 'full'
}

/* Mirrors htmx's own noSwap matching (exact status, then 40x, then 4xx) */
function isSwapped(ctx) {
  if (ctx.hx?.reswap === 'none') return false
  const status = String(ctx.response.status)
  const noSwap = (window.htmx?.config.noSwap ?? []).map(String)
  return ![status, status.slice(0, 2) + 'x', status[0] + 'xx'].some((p) => noSwap.includes(p))
}

/* Translated messages come from the page (data attributes on #toasts), never from the error body */
function errorMessage(ctx) {
  const messages = document.getElementById('toasts')?.dataset ?? {}
  return messages[`status${ctx.response.status}`] || messages.requestFailed || 'Error'
}

document.addEventListener('htmx:response:error', (event) => {
  const ctx = event.detail.ctx
  if (ctx.hx?.redirect || ctx.hx?.location || ctx.hx?.refresh || isSwapped(ctx)) return
  const method = (ctx.request.method || 'GET').toUpperCase()
  if (isFullNavigation(ctx) && method === 'GET') {
    /* A boosted link to a page that cannot be shown: let the server render its error page */
    window.location.assign(ctx.request.action)
    return
  }
  if (!failWidget(ctx)) showToast(errorMessage(ctx), 'error')
})

document.addEventListener('htmx:error', (event) => {
  if (!failWidget(event.detail.ctx)) {
    showToast(document.getElementById('toasts')?.dataset.connectionLost || 'Error', 'error')
  }
})

/* A thin progress bar while a boosted page loads */
document.addEventListener('htmx:before:request', (event) => {
  if (isFullNavigation(event.detail.ctx)) document.documentElement.classList.add('is-navigating')
})
document.addEventListener('htmx:finally:request', () => {
  document.documentElement.classList.remove('is-navigating')
})

/*
 * After a boosted page replaces the body, start at the top and move focus into the new page,
 * to the first invalid field when a form came back with errors, so keyboard and screen-reader
 * users land where the change is.
 */
document.addEventListener('htmx:after:swap', (event) => {
  const ctx = event.detail.ctx
  if (!isFullNavigation(ctx)) return
  /* HTMX swaps the body only: carry over the new page's language (it changes on sign-in) */
  const lang = /<html[^>]*\slang="([^"]+)"/i.exec(ctx.text || '')?.[1]
  if (lang) document.documentElement.lang = lang
  window.scrollTo(0, 0)
  const target = document.querySelector('[aria-invalid="true"]') || document.getElementById('main')
  target?.focus({ preventScroll: true })
})
