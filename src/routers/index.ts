import { router } from '../trpc.js';
import { accountRouter } from './account.js';
import { alertsRouter } from './alerts.js';
import { auditRouter } from './audit.js';
import { authRouter } from './auth.js';
import { maintenanceRouter } from './maintenance.js';
import { contactsRouter } from './contacts.js';
import { membersRouter } from './members.js';
import { monitorsRouter } from './monitors.js';
import { oauthClientsRouter } from './oauth-clients.js';
import { statusPagesRouter } from './status-pages.js';

/** The internal API the SPA calls at /internal. */
export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  audit: auditRouter,
  members: membersRouter,
  monitors: monitorsRouter,
  oauthClients: oauthClientsRouter,
  maintenance: maintenanceRouter,
  statusPages: statusPagesRouter,
  contacts: contactsRouter,
  alerts: alertsRouter,
});

export type AppRouter = typeof appRouter;
