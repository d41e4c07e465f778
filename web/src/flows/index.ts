import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/** Call-flow screens (server: src/flows/): IVRs, time conditions, holiday calendars, voicemail, surveys, the IVR and satisfaction survey reports. */
export const flowsArea = defineArea({
  id: 'flows',
  screens: [
    {
      path: '/flows/ivrs',
      name: 'flows.ivrs',
      component: () => import('./IvrsPage.vue'),
      title: 'flows.ivrs.title',
      access: { module: 'flows', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-sitemap', order: 10 },
    },
    {
      path: '/flows/ivrs/:id(\\d+)',
      name: 'flows.ivr',
      component: () => import('./IvrEditorPage.vue'),
      title: 'flows.ivr.title',
      access: { module: 'flows', action: 'read' },
    },
    {
      path: '/flows/time-conditions',
      name: 'flows.time-conditions',
      component: () => import('./TimeConditionsPage.vue'),
      title: 'flows.tc.title',
      access: { module: 'flows', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-clock', order: 20 },
    },
    {
      path: '/flows/holiday-calendars',
      name: 'flows.holiday-calendars',
      component: () => import('./HolidayCalendarsPage.vue'),
      title: 'flows.calendars.title',
      access: { module: 'flows', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-calendar', order: 25 },
    },
    {
      path: '/flows/voicemail',
      name: 'flows.voicemail',
      component: () => import('./VoicemailPage.vue'),
      title: 'flows.voicemail.title',
      access: { module: 'flows', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-inbox', order: 30 },
    },
    {
      path: '/flows/surveys',
      name: 'flows.surveys',
      component: () => import('./SurveysPage.vue'),
      title: 'flows.surveys.title',
      access: { module: 'flows', action: 'read' },
      menu: { group: 'telephony', icon: 'pi-star', order: 35 },
    },
    {
      path: '/reports/ivr',
      name: 'flows.ivr-report',
      component: () => import('./IvrReportPage.vue'),
      title: 'flows.report.title',
      access: { module: 'reports', action: 'read' },
      menu: { group: 'operation', icon: 'pi-chart-bar', order: 40 },
    },
    {
      path: '/reports/survey',
      name: 'flows.survey-report',
      component: () => import('./SurveyReportPage.vue'),
      title: 'flows.surveyReport.title',
      access: { module: 'reports', action: 'read' },
      menu: { group: 'operation', icon: 'pi-star-fill', order: 41 },
    },
  ],
  messages: { 'pt-BR': ptBR, en },
});
