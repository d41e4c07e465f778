import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { areas } from '@/areas';
import { i18n } from '@/i18n';
import { MENU_GROUPS, type Access, type ServerFacts } from '@/kit/area';
import { can, loadSession, onSessionInterrupted, session } from '@/auth/session';
import { serverFacts } from '@/shell/facts';

declare module 'vue-router' {
  interface RouteMeta {
    /** Message key of the page title. */
    title?: string;
    /** Pages reachable without logging in. */
    public?: boolean;
    access?: Access;
    superUser?: boolean;
    when?: (facts: ServerFacts) => boolean;
  }
}

const screens = areas.flatMap((a) => a.screens);
const pages = areas.flatMap((a) => a.pages ?? []);

const routes: RouteRecordRaw[] = [
  ...pages.map((p) => ({ path: p.path, name: p.name, component: p.component, meta: { title: p.title, public: !p.auth } })),
  {
    path: '/',
    component: () => import('@/shell/AppShell.vue'),
    children: [
      { path: '', name: 'home', component: () => import('@/shell/HomeRedirect.vue'), meta: { title: 'common.appName' } },
      ...screens.map((s) => ({
        path: s.path.replace(/^\//, ''),
        name: s.name,
        component: s.component,
        meta: { title: s.title, ...(s.access ? { access: s.access } : {}), ...(s.superUser ? { superUser: true } : {}), ...(s.when ? { when: s.when } : {}) },
      })),
      { path: ':path(.*)*', name: 'not-found', component: () => import('@/shell/NotFoundPage.vue'), meta: { title: 'common.notFound.title' } },
    ],
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

/** Is this screen for this user on this server (permission, and e.g. emulator mode)? */
export const screenAllowed = (meta: { access?: Access; superUser?: boolean; when?: (f: ServerFacts) => boolean }): boolean =>
  can(meta.access) && (!meta.superUser || session.me?.superUser === true) && (!meta.when || meta.when(serverFacts));

/** Screens of the menu the logged-in user may open, in menu order. */
export const allowedScreens = () =>
  screens
    .filter((s) => s.menu && screenAllowed(s))
    .sort((a, b) => MENU_GROUPS.indexOf(a.menu!.group) - MENU_GROUPS.indexOf(b.menu!.group) || a.menu!.order - b.menu!.order);

router.beforeEach(async (to) => {
  if (!session.checked) await loadSession().catch(() => null);
  if (to.meta.public) return true;
  if (!session.me) return { name: 'auth.login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  if (session.me.passwordChangeRequired && to.name !== 'auth.change-password') {
    return { name: 'auth.change-password', query: { redirect: to.fullPath } };
  }
  return true;
});

router.afterEach((to, _from, failure) => {
  // A navigation cancelled by a newer one (the home redirect overtaken by a click) names no page.
  if (failure) return;
  const app = i18n.global.t('common.appName');
  const title = to.meta.title && !screenAllowed(to.meta) ? 'common.notAllowed.title' : to.meta.title;
  document.title = title && title !== 'common.appName' ? `${i18n.global.t(title)} · ${app}` : app;
});

onSessionInterrupted((reason) => {
  const here = router.currentRoute.value;
  if (here.meta.public) return;
  if (reason === 'password') {
    void router.push({ name: 'auth.change-password', query: { redirect: here.fullPath } });
  } else {
    void router.push({ name: 'auth.login', query: { redirect: here.fullPath, expired: '1' } });
  }
});
