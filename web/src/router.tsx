import { createRootRoute, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { toProblem } from './api/errors';
import { meQuery, queryClient, whenSignedOut } from './api/query';
import { AppLayout } from './layout/AppLayout';
import { PublicLayout } from './layout/PublicLayout';
import { NotFound } from './layout/NotFound';
import { dashboardSearch } from './screens/dashboard/search';
import { isAppPath, pathOf } from './ui/return-after-sign-in';

/**
 * Every screen's route, in code. Each screen is its own chunk (lazyRouteComponent), so a screen
 * loads only its own code. Adding a screen: web/CONVENTIONS.md.
 */
const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFound });

/** `next` brings a person back where they were after signing in; only paths of this app. */
export type NextSearch = { next?: string };
const nextSearch = (search: Record<string, unknown>): NextSearch => (isAppPath(search.next) ? { next: search.next } : {});

// Screens anyone can open: signing in and the mailed links.
const publicRoute = createRoute({ getParentRoute: () => rootRoute, id: 'public', component: PublicLayout });
const screen = <P extends string, M extends Record<string, unknown>>(path: P, load: () => Promise<M>, name: keyof M & string) =>
  createRoute({ getParentRoute: () => publicRoute, path, component: lazyRouteComponent(load, name), validateSearch: nextSearch });

const signIn = screen('/sign-in', () => import('./screens/sign-in/SignIn'), 'SignIn');
const signUp = screen('/sign-up', () => import('./screens/sign-up/SignUp'), 'SignUp');
const verifyEmail = screen('/verify-email', () => import('./screens/verify-email/VerifyEmail'), 'VerifyEmail');
const forgotPassword = screen('/forgot-password', () => import('./screens/forgot-password/ForgotPassword'), 'ForgotPassword');
const acceptInvite = screen('/accept-invite', () => import('./screens/accept-invite/AcceptInvite'), 'AcceptInvite');
const resetPassword = screen('/reset-password', () => import('./screens/reset-password/ResetPassword'), 'ResetPassword');

// Screens behind sign-in: the session is read once (auth.me) and kept in the query cache.
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  component: AppLayout,
  beforeLoad: async ({ location }) => {
    try {
      return { me: await queryClient.ensureQueryData(meQuery) };
    } catch (error) {
      if (toProblem(error).kind === 'unauthenticated') throw redirect({ to: '/sign-in', search: { next: pathOf(location) } });
      throw error;
    }
  },
});
const inApp = <P extends string, M extends Record<string, unknown>>(path: P, load: () => Promise<M>, name: keyof M & string) =>
  createRoute({ getParentRoute: () => appRoute, path, component: lazyRouteComponent(load, name) });

const home = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  component: lazyRouteComponent(() => import('./screens/dashboard/Dashboard'), 'Dashboard'),
  validateSearch: dashboardSearch,
});
const newMonitor = inApp('/monitors/new', () => import('./screens/new-monitor/NewMonitor'), 'NewMonitor');
const monitorDetail = inApp('/monitors/$monitorId', () => import('./screens/monitor/MonitorDetail'), 'MonitorDetail');
const editMonitor = inApp('/monitors/$monitorId/edit', () => import('./screens/edit-monitor/EditMonitor'), 'EditMonitor');
const contacts = inApp('/contacts', () => import('./screens/contacts/Contacts'), 'Contacts');
const contactVerify = screen('/contacts/verify', () => import('./screens/contact-verify/ContactVerify'), 'ContactVerify');
const maintenance = inApp('/maintenance', () => import('./screens/maintenance/Maintenance'), 'Maintenance');
const statusPages = inApp('/status-pages', () => import('./screens/status-pages/StatusPages'), 'StatusPages');
const team = inApp('/team', () => import('./screens/team/Team'), 'Team');
const apiClients = inApp('/settings/api', () => import('./screens/api-clients/ApiClients'), 'ApiClients');
const audit = inApp('/settings/audit', () => import('./screens/audit/AuditLog'), 'AuditLog');
const plan = inApp('/settings/plan', () => import('./screens/plan/Plan'), 'Plan');
const changePassword = inApp('/settings/password', () => import('./screens/change-password/ChangePassword'), 'ChangePassword');

const routeTree = rootRoute.addChildren([
  publicRoute.addChildren([signIn, signUp, verifyEmail, forgotPassword, resetPassword, acceptInvite, contactVerify]),
  appRoute.addChildren([home, newMonitor, monitorDetail, editMonitor, changePassword, contacts, maintenance, statusPages, team, apiClients, audit, plan]),
]);

export const router = createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

// A 401 from any call (a session that expired or was signed out elsewhere): sign in, then come back.
whenSignedOut(() => {
  queryClient.removeQueries({ queryKey: meQuery.queryKey });
  const here = router.state.location;
  if (here.pathname !== '/sign-in') void router.navigate({ to: '/sign-in', search: { next: pathOf(here) } });
});
