import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/** Call records, live (server: src/calls/). */
export const callsArea = defineArea({
  id: 'calls',
  screens: [
    {
      path: '/calls',
      name: 'calls.list',
      component: () => import('./CallsPage.vue'),
      title: 'calls.title',
      access: { module: 'calls', action: 'read' },
      menu: { group: 'operation', icon: 'pi-phone', order: 10 },
    },
  ],
  messages: { 'pt-BR': ptBR, en },
});
