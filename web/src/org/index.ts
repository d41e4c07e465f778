import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/** Tenants, users, teams, profiles and pause types (server: src/org/). */
export const orgArea = defineArea({
  id: 'org',
  screens: [
    {
      path: '/org/users',
      name: 'org.users',
      component: () => import('./UsersPage.vue'),
      title: 'org.users.title',
      access: { module: 'users', action: 'read' },
      menu: { group: 'organisation', icon: 'pi-users', order: 10 },
    },
    {
      path: '/org/teams',
      name: 'org.teams',
      component: () => import('./TeamsPage.vue'),
      title: 'org.teams.title',
      access: { module: 'teams', action: 'read' },
      menu: { group: 'organisation', icon: 'pi-sitemap', order: 20 },
    },
    {
      path: '/org/profiles',
      name: 'org.profiles',
      component: () => import('./ProfilesPage.vue'),
      title: 'org.profiles.title',
      access: { module: 'profiles', action: 'read' },
      menu: { group: 'organisation', icon: 'pi-id-card', order: 30 },
    },
    {
      path: '/org/pause-types',
      name: 'org.pauses',
      component: () => import('./PauseTypesPage.vue'),
      title: 'org.pauses.title',
      // Configuring pauses; agents read them only to choose one (agent desktop).
      access: { module: 'pauses', action: 'write' },
      menu: { group: 'organisation', icon: 'pi-pause-circle', order: 40 },
    },
    {
      path: '/org/tenants',
      name: 'org.tenants',
      component: () => import('./TenantsPage.vue'),
      title: 'org.tenants.title',
      access: { module: 'tenants', action: 'read' },
      menu: { group: 'organisation', icon: 'pi-building', order: 50 },
    },
  ],
  messages: { 'pt-BR': ptBR, en },
});
