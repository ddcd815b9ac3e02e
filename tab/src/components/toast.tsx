/**
 * Confirmations as Fluent toasts: shown where the eye is (fixed to the window, not at the top of
 * a long page) and announced to screen readers by Fluent's own live region. Failures stay as
 * message bars beside the action that failed, until the person has dealt with them.
 */
import { useCallback } from 'react';
import { Toast, ToastTitle, Toaster, useId, useToastController } from '@fluentui/react-components';

const TOASTER_ID = 'smc-toaster';

export function AppToaster() {
  return <Toaster toasterId={TOASTER_ID} position="bottom-end" pauseOnHover pauseOnWindowBlur />;
}

export type ToastIntent = 'success' | 'info';

export function useNotify(): (intent: ToastIntent, text: string) => void {
  const { dispatchToast } = useToastController(TOASTER_ID);
  const idBase = useId('toast');
  return useCallback(
    (intent, text) => {
      dispatchToast(
        <Toast>
          <ToastTitle>{text}</ToastTitle>
        </Toast>,
        { intent, toastId: `${idBase}-${Date.now()}`, politeness: 'polite', timeout: 8000 },
      );
    },
    [dispatchToast, idBase],
  );
}
