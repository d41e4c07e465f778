import type { Component } from 'vue';

/** What a screen needs of the user's profile: a permission `"<module>:<action>"` (src/auth/permissions.ts). */
export interface Access {
  module: string;
  action: 'read' | 'write';
}

/** Facts about this server the shell knows before it draws the menu. */
export interface ServerFacts {
  /** The built-in Asterisk emulator stands in for Asterisk. */
  emulator: boolean;
}

/** One screen of an area: its route, the permission it needs and its place in the menu. */
export interface Screen {
  /** Route path inside the shell, e.g. `/org/users`. Parameters allowed (`/calls/:callId`). */
  path: string;
  /** Unique route name, `<area>.<screen>`. */
  name: string;
  /** Loaded on first visit, so each screen is its own chunk. */
  component: () => Promise<Component | { default: Component }>;
  /** Message key of the page title (tab title and heading); the menu uses it too. */
  title: string;
  /** Omitted: any logged-in user (their own account). */
  access?: Access;
  /** Shown in the menu, under `group` (a message key), in `order`. */
  menu?: { group: MenuGroup; icon: string; order: number };
  /** Only for super users (platform settings). */
  superUser?: boolean;
  /** Only on servers where this holds (e.g. the emulator panel). */
  when?: (facts: ServerFacts) => boolean;
}

/** Menu groups, in the order the menu shows them. */
export const MENU_GROUPS = ['operation', 'crm', 'organisation', 'telephony', 'system'] as const;
export type MenuGroup = (typeof MENU_GROUPS)[number];

/** Pages outside the shell (login, password reset): no menu, no login needed unless `auth`. */
export interface BarePage {
  path: string;
  name: string;
  component: () => Promise<Component | { default: Component }>;
  title: string;
  /** true: needs a session (the forced password change). */
  auth?: boolean;
}

/**
 * One screen area: `web/src/<area>/` beside the server's `src/<area>/`. Its `index.ts` exports
 * an `Area`, and `web/src/areas.ts` lists it. Messages are the area's own, under its `id`.
 */
export interface Area<Id extends string = string, M extends object = object> {
  id: Id;
  screens: Screen[];
  pages?: BarePage[];
  /** pt-BR is the reference: English must have the same keys (checked by the type-check). */
  messages: { 'pt-BR': M; en: NoInfer<M> };
}

export const defineArea = <const Id extends string, M extends object>(area: Area<Id, M>): Area<Id, M> => area;

/** The messages of a list of areas, each under its id. */
export type AreaMessages<T extends readonly Area[]> = { [A in T[number] as A['id']]: A['messages']['pt-BR'] };
