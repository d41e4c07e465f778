import { computed, nextTick, reactive, ref, type UnwrapNestedRefs } from 'vue';
import { ApiError } from '@/api/client';
import { i18n } from '@/i18n';
import { reportError } from './notify';

interface FieldProblem {
  field?: string;
  problem?: string;
  rule?: string;
  limit?: number;
}

/** The server's words for a field, in the user's language where the rule is a known one. */
export function fieldMessage(e: ApiError, field: string): string {
  const t = i18n.global.t;
  const list = Array.isArray(e.details.fields) ? (e.details.fields as FieldProblem[]) : [];
  const p = list.find((f) => f.field === field);
  switch (p?.rule) {
    case 'required':
    case 'notBlank': // blank text (spaces only) is no text
      return t('common.form.required');
    case 'minLength':
      return t('common.validation.minLength', { n: p.limit ?? 0 });
    case 'maxLength':
      return t('common.validation.maxLength', { n: p.limit ?? 0 });
    case 'minimum':
      return t('common.validation.minimum', { n: p.limit ?? 0 });
    case 'maximum':
      return t('common.validation.maximum', { n: p.limit ?? 0 });
    case 'minItems':
      return t('common.validation.minItems', { n: p.limit ?? 0 });
    case 'pattern':
    case 'format':
      return t('common.validation.format');
    default: {
      // The server starts its sentence with the field's path ("add.0.queueId: …"), which the form
      // already shows by placing the message under that field.
      const said = p?.problem ?? e.message;
      return said.startsWith(`${field}: `) ? said.slice(field.length + 2) : said;
    }
  }
}

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

const valueAt = (obj: object, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);

export interface FormOptions<T> {
  /** Dotted paths that must be filled before Save is enabled. */
  required?: (keyof T & string)[] | string[];
}

/**
 * A form's state: the model being typed, the errors the server named per field (`details.field`),
 * which required fields are still empty, and `submit` that keeps everything typed when the
 * server refuses it. Pair with `<FormField>`.
 *
 *   const form = useForm(() => ({ name: '', login: '' }), { required: ['name', 'login'] });
 *   const saved = await form.submit(() => ok(api.POST('/api/v1/users', { body: form.model })));
 */
export function useForm<T extends object>(initial: () => T, options: FormOptions<T> = {}) {
  const model = reactive(initial()) as UnwrapNestedRefs<T>;
  const errors = reactive<Record<string, string>>({});
  const saving = ref(false);
  /** Reactive: a form may require a field only sometimes (a password when creating). */
  const required = reactive(new Set<string>(options.required ?? []));

  const missing = computed(() => [...required].filter((k) => blank(valueAt(model, k))));
  const canSave = computed(() => missing.value.length === 0 && !saving.value);

  function clearErrors(): void {
    for (const k of Object.keys(errors)) delete errors[k];
  }

  /** Starts over with these values (opening a dialog for another record). */
  function reset(values: T = initial()): void {
    clearErrors();
    for (const k of Object.keys(model)) delete (model as Record<string, unknown>)[k];
    Object.assign(model, structuredClone(values));
  }

  async function focusField(field: string): Promise<void> {
    await nextTick();
    const el = document.querySelector<HTMLElement>(
      `[data-field="${CSS.escape(field)}"] input, [data-field="${CSS.escape(field)}"] textarea, [data-field="${CSS.escape(field)}"] [tabindex="0"]`,
    );
    el?.focus();
  }

  /**
   * Runs `action` (the request). A refusal that names a field (400/409) is shown next to that
   * field and focuses it; anything else is reported as a toast. The model is never touched, so
   * nothing typed is lost. Resolves to the action's result, or undefined when it failed.
   */
  async function submit<R>(action: () => Promise<R>): Promise<R | undefined> {
    clearErrors();
    saving.value = true;
    try {
      return await action();
    } catch (e) {
      const field = e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 401 ? e.field : undefined;
      if (e instanceof ApiError && field) {
        errors[field] = fieldMessage(e, field);
        void focusField(field);
      } else {
        reportError(e);
      }
      return undefined;
    } finally {
      saving.value = false;
    }
  }

  return { model, errors, saving, missing, canSave, required, submit, reset, isRequired: (k: string) => required.has(k) };
}

export type Form<T extends object> = ReturnType<typeof useForm<T>>;
