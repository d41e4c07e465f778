import { createApp } from 'vue';
import PrimeVue from 'primevue/config';
import ToastService from 'primevue/toastservice';
import ConfirmationService from 'primevue/confirmationservice';
import Tooltip from 'primevue/tooltip';
import 'primeicons/primeicons.css';
import './styles.css';
import App from './App.vue';
import { currentLocale, i18n, primeLocales } from './i18n';
import { router } from './router';
import { theme } from './theme';

document.documentElement.lang = currentLocale();

// The search box inside a filterable Select or MultiSelect has no label of its own; name it
// here, once, in the current language.
const filterBox = { pcFilter: { root: () => ({ 'aria-label': i18n.global.t('common.actions.search') }) } };

createApp(App)
  .use(PrimeVue, { theme, locale: { ...primeLocales[currentLocale()] }, pt: { select: filterBox, multiselect: filterBox } })
  .use(ToastService)
  .use(ConfirmationService)
  .directive('tooltip', Tooltip)
  .use(i18n)
  .use(router)
  .mount('#app');
