import { defineArea } from '@/kit/area';
import ptBR from './locales/pt-BR.json';
import en from './locales/en.json';

/** Contacts, imports, blacklist, tickets and the CRM's settings: tabulations, tags, fields, forms, shortcuts, FAQ (server: src/contacts/). */
export const contactsArea = defineArea({
  id: 'contacts',
  screens: [
    { path: '/contacts', name: 'contacts.list', component: () => import('./ContactsPage.vue'), title: 'contacts.list.title', access: { module: 'contacts', action: 'read' }, menu: { group: 'crm', icon: 'pi-address-book', order: 10 } },
    { path: '/contacts/:id(\\d+)', name: 'contacts.detail', component: () => import('./ContactPage.vue'), title: 'contacts.detail.title', access: { module: 'contacts', action: 'read' } },
    { path: '/contacts/tickets', name: 'contacts.tickets', component: () => import('./TicketsPage.vue'), title: 'contacts.tickets.title', access: { module: 'contacts', action: 'read' }, menu: { group: 'crm', icon: 'pi-ticket', order: 20 } },
    { path: '/contacts/imports', name: 'contacts.imports', component: () => import('./ImportsPage.vue'), title: 'contacts.imports.title', access: { module: 'imports', action: 'read' }, menu: { group: 'crm', icon: 'pi-upload', order: 30 } },
    { path: '/contacts/blacklist', name: 'contacts.blacklist', component: () => import('./BlacklistPage.vue'), title: 'contacts.blacklist.title', access: { module: 'blacklist', action: 'read' }, menu: { group: 'crm', icon: 'pi-ban', order: 40 } },
    // Settings: agents read them on the desktop; only those who configure them see these screens.
    { path: '/contacts/status-groups', name: 'contacts.groups', component: () => import('./GroupsPage.vue'), title: 'contacts.groups.title', access: { module: 'tabulations', action: 'write' }, menu: { group: 'crm', icon: 'pi-folder', order: 50 } },
    { path: '/contacts/statuses', name: 'contacts.statuses', component: () => import('./StatusesPage.vue'), title: 'contacts.statuses.title', access: { module: 'tabulations', action: 'write' }, menu: { group: 'crm', icon: 'pi-check-square', order: 60 } },
    { path: '/contacts/tags', name: 'contacts.tags', component: () => import('./TagsPage.vue'), title: 'contacts.tags.title', access: { module: 'tabulations', action: 'write' }, menu: { group: 'crm', icon: 'pi-tags', order: 70 } },
    { path: '/contacts/fields', name: 'contacts.fields', component: () => import('./FieldsPage.vue'), title: 'contacts.customFields.title', access: { module: 'crm', action: 'write' }, menu: { group: 'crm', icon: 'pi-list', order: 80 } },
    { path: '/contacts/forms', name: 'contacts.forms', component: () => import('./FormsPage.vue'), title: 'contacts.forms.title', access: { module: 'crm', action: 'write' }, menu: { group: 'crm', icon: 'pi-file-edit', order: 90 } },
    { path: '/contacts/campaign-types', name: 'contacts.campaignTypes', component: () => import('./CampaignTypesPage.vue'), title: 'contacts.campaignTypes.title', access: { module: 'crm', action: 'write' }, menu: { group: 'crm', icon: 'pi-objects-column', order: 100 } },
    { path: '/contacts/books', name: 'contacts.books', component: () => import('./BooksPage.vue'), title: 'contacts.books.title', access: { module: 'crm', action: 'write' }, menu: { group: 'crm', icon: 'pi-book', order: 110 } },
    { path: '/contacts/shortcuts', name: 'contacts.shortcuts', component: () => import('./ShortcutsPage.vue'), title: 'contacts.shortcuts.title', access: { module: 'crm', action: 'write' }, menu: { group: 'crm', icon: 'pi-bolt', order: 120 } },
    { path: '/contacts/faq', name: 'contacts.faq', component: () => import('./FaqPage.vue'), title: 'contacts.faq.title', access: { module: 'crm', action: 'write' }, menu: { group: 'crm', icon: 'pi-question-circle', order: 130 } },
  ],
  messages: { 'pt-BR': ptBR, en },
});
