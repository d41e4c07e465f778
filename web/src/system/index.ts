import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/** The server itself: version, telephony, readiness (server: src/http/system-info.routes.ts). */
export const systemArea = defineArea({
  id: 'system',
  screens: [
    {
      path: '/system',
      name: 'system.info',
      component: () => import('./SystemPage.vue'),
      title: 'system.title',
      access: { module: 'system', action: 'read' },
      menu: { group: 'system', icon: 'pi-server', order: 20 },
    },
  ],
  messages: { 'pt-BR': ptBR, en },
});
