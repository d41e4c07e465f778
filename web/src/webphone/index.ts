import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/** The webphone: the user's own extension in the browser (server: src/provisioning/webphone.routes.ts). */
export const webphoneArea = defineArea({
  id: 'webphone',
  screens: [
    {
      path: '/webphone',
      name: 'webphone.phone',
      component: () => import('./WebphonePage.vue'),
      title: 'webphone.title',
      access: { module: 'self', action: 'read' },
      menu: { group: 'operation', icon: 'pi-phone', order: 5 },
    },
  ],
  messages: { 'pt-BR': ptBR, en },
});
