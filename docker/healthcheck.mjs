// Container HEALTHCHECK: healthy when /health/ready answers 200 (database, and Redis when set).
const port = process.env.PORT || '3333'
try {
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`, {
    signal: AbortSignal.timeout(4000),
  })
  if (response.status !== 200) {
    console.error(`/health/ready answered ${response.status}: ${await response.text()}`)
    process.exit(1)
  }
} catch (error) {
  console.error(`/health/ready unreachable: ${error.message}`)
  process.exit(1)
}
