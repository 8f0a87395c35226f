/* Public pages on the tenant host (document links under /p/invoicing) */
export default function () {}
