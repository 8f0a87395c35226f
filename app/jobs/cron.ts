/* Cron expressions of scheduled jobs (5 fields, or 6 with seconds), evaluated in UTC. */
import { CronExpressionParser } from 'cron-parser'

/** The latest tick of `expression` at or before `now`, or null when it has none */
export function previousTick(expression: string, now: number): number | null {
  try {
    const cron = CronExpressionParser.parse(expression, { currentDate: new Date(now + 1), tz: 'UTC' })
    return cron.prev().getTime()
  } catch {
    return null
  }
}

/** Throws with the job's name when the expression does not parse */
export function assertCron(name: string, expression: string) {
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' })
  } catch (error) {
    throw new Error(`Job "${name}": invalid cron schedule "${expression}" (${(error as Error).message})`)
  }
}
