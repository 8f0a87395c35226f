/*
| The kernel's own taps on its hooks: its navigation entries, dashboard widgets and settings
| sections. Plugins add theirs the same way.
*/
import hooks from '#kernel/hooks'

hooks.addFilter(
  'nav.main',
  (items) => [
    ...items,
    { id: 'kernel.dashboard', label: 'nav.dashboard', href: '/app', icon: 'home', order: 0 },
    {
      id: 'kernel.settings',
      label: 'nav.settings',
      href: '/app/settings',
      icon: 'settings',
      permission: 'kernel.settings.view',
      order: 900,
    },
  ],
  { plugin: 'kernel', priority: 0 }
)

hooks.addFilter(
  'dashboard.widgets',
  (widgets) => [
    ...widgets,
    { id: 'kernel.welcome', title: 'dashboard.welcome_title', url: '/app/widgets/welcome', order: 0, span: 2 },
    {
      id: 'kernel.team',
      title: 'dashboard.team_title',
      url: '/app/widgets/team',
      permission: 'kernel.users.view',
      order: 10,
      span: 1,
    },
    {
      id: 'kernel.activity',
      title: 'dashboard.activity_title',
      url: '/app/widgets/activity',
      permission: 'kernel.audit.view',
      order: 20,
      span: 3,
    },
  ],
  { plugin: 'kernel', priority: 0 }
)

hooks.addFilter(
  'settings.sections',
  (sections) => [
    ...sections,
    { id: 'kernel.general', label: 'settings.general', href: '/app/settings', permission: 'kernel.settings.view', order: 0 },
    { id: 'kernel.theme', label: 'settings.theme', href: '/app/settings/theme', permission: 'kernel.settings.view', order: 10 },
    { id: 'kernel.users', label: 'settings.users', href: '/app/settings/users', permission: 'kernel.users.view', order: 20 },
    { id: 'kernel.roles', label: 'settings.roles', href: '/app/settings/roles', permission: 'kernel.roles.manage', order: 30 },
    { id: 'kernel.plugins', label: 'settings.plugins', href: '/app/settings/plugins', permission: 'kernel.plugins.manage', order: 40 },
    { id: 'kernel.tokens', label: 'settings.tokens', href: '/app/settings/tokens', permission: 'kernel.tokens.manage', order: 50 },
    { id: 'kernel.audit', label: 'settings.audit', href: '/app/settings/audit', permission: 'kernel.audit.view', order: 60 },
  ],
  { plugin: 'kernel', priority: 0 }
)
