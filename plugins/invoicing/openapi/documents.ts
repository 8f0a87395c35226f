export default {
  paths: {} as Record<string, unknown>,
  components: { schemas: {} as Record<string, unknown> },
}
