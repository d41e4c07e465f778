import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/** Queues/ACD screens (server: src/routing/): the agent's desk, the queues and their members, the agents' services, skills and hours, the live queues, the supervisor's panel and the wallboard, the calls, activity and users reports and the interaction map. */
export const routingArea = defineArea({
  id: 'routing',
  screens: [
    {
      path: '/desk',
      name: 'routing.desk',
      component: () => import('./AgentDeskPage.vue'),
      title: 'routing.desk.title',
      access: { module: 'agent', action: 'read' },
      // First in the menu: where an agent lands after logging in.
      menu: { group: 'operation', icon: 'pi-desktop', order: 1 },
    },
    {
      path: '/queues',
      name: 'routing.queues',
      component: () => import('./QueuesPage.vue'),
      title: 'routing.queues.title',
      access: { module: 'queues', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-users', order: 5 },
    },
    {
      path: '/queues/agents',
      name: 'routing.agents',
      component: () => import('./AgentsPage.vue'),
      title: 'routing.agents.title',
      access: { module: 'queues', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-id-card', order: 6 },
    },
    {
      path: '/queues/live',
      name: 'routing.live',
      component: () => import('./QueuesLivePage.vue'),
      title: 'routing.live.title',
      access: { module: 'supervision', action: 'read' },
      menu: { group: 'operation', icon: 'pi-chart-line', order: 20 },
    },
    {
      path: '/supervisor',
      name: 'routing.supervisor',
      component: () => import('./SupervisorPage.vue'),
      title: 'routing.supervisor.title',
      access: { module: 'supervision', action: 'read' },
      menu: { group: 'operation', icon: 'pi-eye', order: 21 },
    },
    {
      // A TV's screen: large figures, one queue at a time.
      path: '/supervisor/wallboard',
      name: 'routing.wallboard',
      component: () => import('./WallboardPage.vue'),
      title: 'routing.wallboard.title',
      access: { module: 'supervision', action: 'read' },
      menu: { group: 'operation', icon: 'pi-desktop', order: 22 },
    },
    {
      path: '/reports/calls',
      name: 'routing.calls-report',
      component: () => import('./CallsReportPage.vue'),
      title: 'routing.reports.callsTitle',
      access: { module: 'reports', action: 'read' },
      menu: { group: 'operation', icon: 'pi-chart-bar', order: 38 },
    },
    {
      path: '/reports/activity',
      name: 'routing.activity-report',
      component: () => import('./ActivityReportPage.vue'),
      title: 'routing.reports.activityTitle',
      access: { module: 'reports', action: 'read' },
      menu: { group: 'operation', icon: 'pi-history', order: 39 },
    },
    {
      path: '/reports/users',
      name: 'routing.users-report',
      component: () => import('./UsersReportPage.vue'),
      title: 'routing.reports.usersTitle',
      access: { module: 'reports', action: 'read' },
      menu: { group: 'operation', icon: 'pi-users', order: 42 },
    },
    {
      path: '/reports/interaction-map',
      name: 'routing.interaction-map',
      component: () => import('./InteractionMapPage.vue'),
      title: 'routing.reports.mapTitle',
      access: { module: 'reports', action: 'read' },
      menu: { group: 'operation', icon: 'pi-th-large', order: 43 },
    },
  ],
  messages: { 'pt-BR': ptBR, en },
});
