import type { AccessLevel, Actor, ChangeContext } from '../http/principal.js';

export type { Actor, ChangeContext };

/** A user or pause type changed, once committed: what the routing engine hears to refresh its copies. */
export interface OrgChange {
  tenantId: number;
  entity: 'user' | 'pause_type';
  id: number;
  action: 'create' | 'update' | 'delete';
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Filters of the user list. */
export interface UserFilter {
  teamId?: number | undefined;
  level?: AccessLevel | undefined;
  active?: boolean | undefined;
  /** Found in the name, login, e-mail or matrícula, any case. */
  q?: string | undefined;
  /** `name`, `-createdAt`…; default: creation order. */
  sort?: string | undefined;
}

export interface PageQuery {
  limit: number;
  offset: number;
}

export interface Tenant {
  id: number;
  legalName: string;
  cnpj: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  ddi: string;
  ddd: string | null;
  cnl: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TenantInput {
  legalName: string;
  cnpj: string;
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  ddi?: string;
  ddd?: string | null;
  cnl?: string | null;
  active?: boolean;
}

export interface Concurrency {
  voice: number;
  chat: number;
  email: number;
}

export interface UserFlags {
  callCenter: boolean;
  chat: boolean;
  autoConnectChat: boolean;
  email: boolean;
  internalChat: boolean;
  auditor: boolean;
}

export interface User {
  id: number;
  tenantId: number;
  name: string;
  login: string;
  email: string | null;
  /** Matrícula. */
  employeeNumber: string | null;
  /** 11 digits. */
  cpf: string | null;
  level: AccessLevel;
  profileId: number | null;
  teamId: number | null;
  extension: string | null;
  concurrency: Concurrency;
  flags: UserFlags;
  active: boolean;
  superUser: boolean;
  passwordChangeRequired: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface UserInput {
  name: string;
  login: string;
  /** Omitted: the user has no usable password until they follow an access link an admin sends. */
  password?: string | undefined;
  email?: string | null;
  employeeNumber?: string | null;
  /** Masked or bare; stored as 11 digits. */
  cpf?: string | null;
  level: AccessLevel;
  profileId?: number | null;
  teamId?: number | null;
  extension?: string | null;
  concurrency?: Partial<Concurrency>;
  flags?: Partial<UserFlags>;
  active?: boolean;
  superUser?: boolean;
  /** Default true: a new user chooses their own password on first access. */
  passwordChangeRequired?: boolean;
}

export type UserPatch = Partial<Omit<UserInput, 'password' | 'login' | 'passwordChangeRequired'>> & { login?: string };

export interface Team {
  id: number;
  tenantId: number;
  name: string;
  description: string | null;
  takeoverMessage: string | null;
  supervisorIds: number[];
  createdAt: string;
  updatedAt: string;
}

export interface TeamInput {
  name: string;
  description?: string | null;
  takeoverMessage?: string | null;
  supervisorIds?: number[];
}

export interface Profile {
  id: number;
  tenantId: number;
  name: string;
  description: string | null;
  permissions: string[];
  createdAt: string;
  updatedAt: string;
}

export interface ProfileInput {
  name: string;
  description?: string | null;
  permissions: string[];
}

export interface PauseType {
  id: number;
  tenantId: number;
  reason: string;
  description: string | null;
  maxDurationMinutes: number | null;
  maxAgents: number | null;
  overrunAllowed: boolean;
  transferWhilePaused: boolean;
  wrapUp: boolean;
  hideOnPanels: boolean;
  /** Teams this pause is offered to; empty means every team. */
  teamIds: number[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface PauseTypeInput {
  reason: string;
  description?: string | null;
  maxDurationMinutes?: number | null;
  maxAgents?: number | null;
  overrunAllowed?: boolean;
  transferWhilePaused?: boolean;
  wrapUp?: boolean;
  hideOnPanels?: boolean;
  teamIds?: number[];
  active?: boolean;
}
