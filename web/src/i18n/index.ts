import { createI18n } from 'vue-i18n';
import { areas } from '@/areas';
import type { AreaMessages } from '@/kit/area';
import commonPt from './pt-BR.json';
import commonEn from './en.json';
import { primeLocales } from './primevue';
import { setApiLanguage } from '@/api/client';

export const LOCALES = ['pt-BR', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'atende.locale';

/** Every message of the app: `common.*` here, and each area's own under its id. */
export type MessageSchema = { common: typeof commonPt } & AreaMessages<typeof areas>;

const english: { common: typeof commonPt } = { common: commonEn };

function messagesFor(locale: Locale): MessageSchema {
  const byArea = Object.fromEntries(areas.map((a) => [a.id, a.messages[locale]]));
  return { common: locale === 'en' ? english.common : commonPt, ...byArea } as MessageSchema;
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return (LOCALES as readonly string[]).includes(saved ?? '') ? (saved as Locale) : 'pt-BR';
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'pt-BR',
  messages: { 'pt-BR': messagesFor('pt-BR'), en: messagesFor('en') },
});

declare module 'vue-i18n' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}

setApiLanguage(i18n.global.locale.value);

export const currentLocale = (): Locale => i18n.global.locale.value;

/** Switches the language of the app and of PrimeVue's own texts (calendar, paginator, …). */
export function setLocale(locale: Locale, prime?: { locale?: object }): void {
  i18n.global.locale.value = locale;
  setApiLanguage(locale);
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
  if (prime?.locale) Object.assign(prime.locale, primeLocales[locale]);
}

export { primeLocales };
