/*
| Kernel routes. Each area keeps its own file under start/routes/; plugin routes are mounted by
| start/plugins.ts.
*/
import '#start/routes/health'
import '#start/routes/assets'
import '#start/routes/auth'
import '#start/routes/account'
import '#start/routes/account_sessions'
import '#start/routes/app'
import '#start/routes/settings'
import '#start/routes/jobs'
import '#start/routes/tokens'
import '#start/routes/platform'
import '#start/routes/backups'
import '#start/routes/api'
import '#start/routes/files'
import '#start/routes/webhooks'
import '#start/routes/notifications'
import '#start/routes/mail'
import '#start/routes/security'
import '#start/routes/security_admin'
