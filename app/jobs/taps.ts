/* The jobs service's entry in the settings menu. */
import hooks from '#kernel/hooks'

hooks.addFilter(
  'settings.sections',
  (sections) => [
    ...sections,
    { id: 'kernel.jobs', label: 'jobs.title', href: '/app/settings/jobs', permission: 'kernel.jobs.manage', order: 55 },
  ],
  { plugin: 'kernel', priority: 0 }
)
