import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/** The platform's outgoing mail (server: src/mail/). */
export const mailArea = defineArea({
  id: 'mail',
  screens: [
    {
      path: '/settings/mail',
      name: 'mail.settings',
      component: () => import('./MailSettingsPage.vue'),
      title: 'mail.title',
      access: { module: 'system', action: 'write' },
      superUser: true,
      menu: { group: 'system', icon: 'pi-envelope', order: 30 },
    },
  ],
  messages: { 'pt-BR': ptBR, en },
});
