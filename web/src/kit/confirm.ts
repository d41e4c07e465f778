import { useConfirm } from 'primevue/useconfirm';
import { useI18n } from 'vue-i18n';

/** Asks before anything destructive; resolves true only when the user confirms. */
export function useConfirmDanger() {
  const confirm = useConfirm();
  const { t } = useI18n();
  return (options: { message: string; header?: string; acceptLabel?: string }): Promise<boolean> =>
    new Promise((resolve) => {
      confirm.require({
        header: options.header ?? t('common.confirm.title'),
        message: options.message,
        icon: 'pi pi-exclamation-triangle',
        rejectProps: { label: t('common.actions.cancel'), severity: 'secondary', outlined: true },
        acceptProps: { label: options.acceptLabel ?? t('common.actions.delete'), severity: 'danger' },
        accept: () => resolve(true),
        reject: () => resolve(false),
        onHide: () => resolve(false),
      });
    });
}
