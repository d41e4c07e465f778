import type { Page } from '@/kit/useLazyTable';

/** A value the CRM's simple admin forms edit. */
export type FieldValue = string | number | boolean | null | Array<string | number> | Date;
export type Model = Record<string, FieldValue>;

/** One control of a simple CRM form: `key` is also the field the server names in its errors. */
export interface FieldSpec {
  key: string;
  /** Message key of the label. */
  label: string;
  kind: 'text' | 'textarea' | 'select' | 'multi' | 'bool' | 'number' | 'date' | 'colour';
  /** The choices, which may depend on what else the form holds. */
  options?: (model: Model) => { value: string | number; label: string }[];
  required?: boolean;
  maxlength?: number;
  /** Message key of a hint under the control. */
  help?: string;
  /** Shown only when this holds for the model being edited. */
  when?: (m: Model) => boolean;
}

export interface ColumnSpec<T> {
  /** Message key of the header. */
  label: string;
  value: (item: T) => string;
  /** A sort key the API takes. */
  sort?: string;
}

/**
 * A CRM admin list (blacklist, shortcuts, FAQ, books, fields, status groups…): the page gives
 * the typed API calls and how a row becomes a form and back; `CrmResourcePage` draws the rest.
 */
export interface ResourcePageSpec<T extends { id: number }> {
  title: string;
  newLabel: string;
  editLabel: string;
  access: string;
  load: (q: { limit: number; offset: number; sort?: string }) => Promise<Page<T>>;
  create: (m: Model) => Promise<T>;
  update: (id: number, m: Model) => Promise<T>;
  remove: (item: T, options: { confirmed: boolean }) => Promise<unknown>;
  empty: () => Model;
  fromItem: (item: T) => Model;
  label: (item: T) => string;
  fields: FieldSpec[];
  columns: ColumnSpec<T>[];
  wide?: boolean;
}

/** Text fields sent as null when left empty. */
export const textOrNull = (v: FieldValue | undefined): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
export const text = (v: FieldValue | undefined): string => (typeof v === 'string' ? v.trim() : '');
export const numberOrNull = (v: FieldValue | undefined): number | null => (typeof v === 'number' ? v : null);
export const list = <T extends string | number>(v: FieldValue | undefined): T[] => (Array.isArray(v) ? (v as T[]) : []);
