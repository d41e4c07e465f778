import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/** Login, second factor, password changes and the user's own account (server: src/auth/). */
export const authArea = defineArea({
  id: 'auth',
  pages: [
    { path: '/login', name: 'auth.login', component: () => import('./LoginPage.vue'), title: 'auth.login.title' },
    { path: '/forgot-password', name: 'auth.forgot', component: () => import('./ForgotPasswordPage.vue'), title: 'auth.forgot.title' },
    // The mailed links: <public URL>/reset-password#token=… and /first-access#token=…
    { path: '/reset-password', name: 'auth.reset', component: () => import('./PasswordLinkPage.vue'), title: 'auth.link.resetTitle' },
    { path: '/first-access', name: 'auth.first-access', component: () => import('./PasswordLinkPage.vue'), title: 'auth.link.firstTitle' },
    {
      path: '/change-password',
      name: 'auth.change-password',
      component: () => import('./ChangePasswordPage.vue'),
      title: 'auth.changePassword.title',
      auth: true,
    },
  ],
  screens: [{ path: '/account', name: 'auth.account', component: () => import('./AccountPage.vue'), title: 'auth.account.title' }],
  messages: { 'pt-BR': ptBR, en },
});
