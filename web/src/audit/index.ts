import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/** The audit log (server: src/audit/). */
export const auditArea = defineArea({
  id: 'audit',
  screens: [
    {
      path: '/audit',
      name: 'audit.log',
      component: () => import('./AuditPage.vue'),
      title: 'audit.title',
      access: { module: 'audit', action: 'read' },
      menu: { group: 'system', icon: 'pi-history', order: 10 },
    },
  ],
  messages: { 'pt-BR': ptBR, en },
});
