import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useConfirmDanger } from './confirm';
import { notifySuccess, reportError } from './notify';
import { useForm, type FormOptions } from './useForm';

export interface EditorOptions<Item extends { id: number }, Model extends object> extends FormOptions<Model> {
  /** The form of a new record. */
  empty: () => Model;
  /** The form of an existing record. */
  fromItem: (item: Item) => Model;
  create?: (model: Model) => Promise<Item>;
  update?: (id: number, model: Model) => Promise<Item>;
  remove?: (item: Item) => Promise<unknown>;
  /** Required when creating only (e.g. the initial password). */
  requiredWhenNew?: string[];
  /** How the confirmation names a record ("Excluir Vendas?"). */
  label: (item: Item) => string;
  /** After a create, update or delete (reload the list). */
  onChange?: () => void;
}

/**
 * Create / edit in a dialog and delete with a confirmation, over `useForm`: the pattern every
 * admin list shares. The dialog keeps what was typed when the server refuses it.
 */
export function useEditor<Item extends { id: number }, Model extends object>(o: EditorOptions<Item, Model>) {
  const { t } = useI18n();
  const confirmDanger = useConfirmDanger();
  const form = useForm<Model>(o.empty, o);
  const visible = ref(false);
  const editing = ref<Item | null>(null);
  const isNew = computed(() => editing.value === null);

  const requireNew = (on: boolean) => {
    for (const k of o.requiredWhenNew ?? []) {
      if (on) form.required.add(k);
      else form.required.delete(k);
    }
  };

  function openNew(): void {
    editing.value = null;
    requireNew(true);
    form.reset(o.empty());
    visible.value = true;
  }

  function openEdit(item: Item): void {
    editing.value = item;
    requireNew(false);
    form.reset(o.fromItem(item));
    visible.value = true;
  }

  async function save(): Promise<boolean> {
    if (!form.canSave.value) return false;
    const model = form.model as Model;
    const current = editing.value;
    const saved = await form.submit(() => (current ? o.update!(current.id, model) : o.create!(model)));
    if (!saved) return false;
    visible.value = false;
    notifySuccess(t(current ? 'common.states.saved' : 'common.states.created'));
    o.onChange?.();
    return true;
  }

  async function remove(item: Item): Promise<void> {
    if (!o.remove) return;
    if (!(await confirmDanger({ message: t('common.confirm.delete', { name: o.label(item) }) }))) return;
    try {
      await o.remove(item);
      notifySuccess(t('common.states.deleted'));
      o.onChange?.();
    } catch (e) {
      reportError(e);
    }
  }

  return { form, visible, editing, isNew, openNew, openEdit, save, remove };
}
