import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/** The dialer: contact groups, dialing strategies, campaigns and their controls (server: src/dialer/). */
export const dialerArea = defineArea({
  id: 'dialer',
  screens: [
    { path: '/dialer/campaigns', name: 'dialer.campaigns', component: () => import('./CampaignsPage.vue'), title: 'dialer.campaigns.title', access: { module: 'dialer', action: 'read' }, menu: { group: 'operation', icon: 'pi-megaphone', order: 50 } },
    { path: '/dialer/lists', name: 'dialer.lists', component: () => import('./ListsPage.vue'), title: 'dialer.lists.title', access: { module: 'dialer', action: 'read' }, menu: { group: 'operation', icon: 'pi-users', order: 51 } },
    { path: '/dialer/lists/:id(\\d+)', name: 'dialer.list', component: () => import('./ListPage.vue'), title: 'dialer.lists.title', access: { module: 'dialer', action: 'read' } },
    { path: '/dialer/campaigns/:id(\\d+)/monitor', name: 'dialer.monitor', component: () => import('./CampaignMonitorPage.vue'), title: 'dialer.campaigns.title', access: { module: 'dialer', action: 'read' } },
    { path: '/dialer/report', name: 'dialer.report', component: () => import('./DialerReportPage.vue'), title: 'dialer.report.title', access: { module: 'dialer', action: 'read' }, menu: { group: 'operation', icon: 'pi-chart-bar', order: 53 } },
    { path: '/dialer/strategies', name: 'dialer.strategies', component: () => import('./StrategiesPage.vue'), title: 'dialer.strategies.title', access: { module: 'dialer', action: 'read' }, menu: { group: 'operation', icon: 'pi-sliders-h', order: 52 } },
  ],
  messages: { 'pt-BR': ptBR, en },
});
