/* Hooks the parties area (clients, catalogue, recurring profiles) exposes to the rest of the plugin and to other plugins */
import type { HookRegistry } from '#kernel/hook_registry'

export interface ClientsMergedPayload {
  tenantId: number
  /** the client that stays */
  survivorId: number
  /** the duplicate, now archived with merged_into_id = survivorId */
  mergedId: number
}

declare module '#kernel/hooks' {
  interface Actions {
    /**
     * Two clients were merged: taps re-point what references the duplicate (documents, payments,
     * client credit) to the survivor. Fails closed: if a tap throws, the merge stops before the
     * duplicate is archived, and running it again is safe.
     */
    'invoicing.clients.merged': ClientsMergedPayload
  }
}

export function declarePartiesHooks(hooks: HookRegistry) {
  hooks.declare('invoicing.clients.merged', {
    failMode: 'closed',
    timeoutMs: 30000,
    description: 'Two invoicing clients were merged; re-point references to the survivor',
  })
}
