import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/**
 * Telephony screens (server: src/telephony/, src/provisioning/): extensions, trunks, inbound
 * and outbound routes, E1 spans, prompts, music on hold, announcements, conferences, SIP settings,
 * apply with its diff, live status, the emulator's phone panel.
 */
export const telephonyArea = defineArea({
  id: 'telephony',
  screens: [
    {
      path: '/telephony/extensions',
      name: 'telephony.extensions',
      component: () => import('./ExtensionsPage.vue'),
      title: 'telephony.extensions.title',
      access: { module: 'extensions', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-phone', order: 10 },
    },
    {
      path: '/telephony/trunks',
      name: 'telephony.trunks',
      component: () => import('./TrunksPage.vue'),
      title: 'telephony.trunks.title',
      access: { module: 'telephony', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-server', order: 20 },
    },
    {
      path: '/telephony/inbound-routes',
      name: 'telephony.inbound',
      component: () => import('./InboundRoutesPage.vue'),
      title: 'telephony.inbound.title',
      access: { module: 'telephony', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-sign-in', order: 30 },
    },
    {
      path: '/telephony/outbound-routes',
      name: 'telephony.outbound',
      component: () => import('./OutboundRoutesPage.vue'),
      title: 'telephony.outbound.title',
      access: { module: 'telephony', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-sign-out', order: 40 },
    },
    {
      path: '/telephony/spans',
      name: 'telephony.spans',
      component: () => import('./SpansPage.vue'),
      title: 'telephony.spans.title',
      access: { module: 'telephony', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-sitemap', order: 45 },
    },
    {
      path: '/telephony/moh-classes',
      name: 'telephony.moh',
      component: () => import('./MohClassesPage.vue'),
      title: 'telephony.moh.title',
      access: { module: 'telephony', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-headphones', order: 55 },
    },
    {
      path: '/telephony/announcements',
      name: 'telephony.announcements',
      component: () => import('./AnnouncementsPage.vue'),
      title: 'telephony.announcements.title',
      access: { module: 'flows', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-megaphone', order: 57 },
    },
    {
      path: '/telephony/conferences',
      name: 'telephony.conferences',
      component: () => import('./ConferencesPage.vue'),
      title: 'telephony.conferences.title',
      access: { module: 'flows', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-users', order: 60 },
    },
    {
      path: '/telephony/sip-settings',
      name: 'telephony.sipSettings',
      component: () => import('./SipSettingsPage.vue'),
      title: 'telephony.sipSettings.title',
      access: { module: 'telephony', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-cog', order: 65 },
    },
    {
      path: '/telephony/apply',
      name: 'telephony.apply',
      component: () => import('./ApplyPage.vue'),
      title: 'telephony.apply.title',
      access: { module: 'telephony', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-sync', order: 70 },
    },
    {
      path: '/telephony/status',
      name: 'telephony.status',
      component: () => import('./StatusPage.vue'),
      title: 'telephony.status.title',
      access: { module: 'telephony', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-wave-pulse', order: 80 },
    },
    {
      path: '/telephony/prompts',
      name: 'telephony.prompts',
      component: () => import('./PromptsPage.vue'),
      title: 'telephony.prompts.title',
      access: { module: 'telephony', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-volume-up', order: 50 },
    },
    {
      path: '/telephony/emulator',
      name: 'telephony.emulator',
      component: () => import('./EmulatorPage.vue'),
      title: 'telephony.emulator.title',
      access: { module: 'emulator', action: 'write' },
      menu: { group: 'telephony', icon: 'pi-mobile', order: 90 },
      when: (facts) => facts.emulator,
    },
  ],
  messages: { 'pt-BR': ptBR, en },
});
