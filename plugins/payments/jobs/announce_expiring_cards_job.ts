/* payments:announce_expiring_cards — mails clients whose saved card expires within a month, once (scheduled daily) */
import { announceExpiringCards } from '#plugins/payments/services/card_expiry'

export default async function announceExpiringCardsJob() {
  await announceExpiringCards()
}
