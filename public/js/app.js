/*
| Alpine components (CSP build: registered here, no inline expressions) for local UI state only.
*/
document.addEventListener('alpine:init', () => {
  const Alpine = window.Alpine
  const MODES = ['auto', 'light', 'dark']
  const ICONS = { auto: '◐', light: '☀', dark: '☾' }
  const LABELS = {
    en: { auto: 'Theme: automatic (click for light)', light: 'Theme: light (click for dark)', dark: 'Theme: dark (click for automatic)' },
    de: { auto: 'Design: automatisch (klicken für hell)', light: 'Design: hell (klicken für dunkel)', dark: 'Design: dunkel (klicken für automatisch)' },
  }

  Alpine.data('themeToggle', () => ({
    mode: document.documentElement.dataset.theme || 'auto',
    get icon() {
      return ICONS[this.mode] || ICONS.auto
    },
    get label() {
      const lang = document.documentElement.lang === 'de' ? 'de' : 'en'
      return LABELS[lang][this.mode] || LABELS[lang].auto
    },
    cycle() {
      this.mode = MODES[(MODES.indexOf(this.mode) + 1) % MODES.length]
      document.documentElement.dataset.theme = this.mode
      localStorage.setItem('cf-theme-mode', this.mode)
    },
  }))

  Alpine.data('dropdown', () => ({
    open: false,
    toggle() {
      this.open = !this.open
    },
    close() {
      this.open = false
    },
  }))

  Alpine.data('navToggle', () => ({
    expanded: false,
    toggle() {
      this.expanded = !this.expanded
      document.getElementById('sidebar')?.classList.toggle('open', this.expanded)
    },
  }))

  Alpine.data('toast', () => ({
    init() {
      setTimeout(() => this.$el.remove(), 6000)
    },
  }))
})
