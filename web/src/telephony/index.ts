import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/** Telephony screens (server: src/telephony/, src/provisioning/): prompts, the emulator's phone panel. */
export const telephonyArea = defineArea({
  id: 'telephony',
  screens: [
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
