/**
 * Confirmations as Fluent toasts: shown where the eye is (fixed to the window, not at the top of
 * a long page) and announced to screen readers by Fluent's own live region. Failures stay as
 * message bars beside the action that failed, until the person has dealt with them.
 */
import { useCallback } from 'react';
import { Toast, ToastTitle, Toaster, useId, useToastController } from '@fluentui/react-components';

const TOASTER_ID = 'smc-toaster';

export function AppToaster() {
  // Two at most: on a phone a stack of them covers the middle of the screen.
  return <Toaster toasterId={TOASTER_ID} position="bottom-end" pauseOnHover pauseOnWindowBlur limit={2} />;
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
        // The same words twice (saving, then completing) show once: a toast with that id is already up.
        { intent, toastId: `${idBase}-${text}`, politeness: 'polite', timeout: 8000 },
      );
    },
    [dispatchToast, idBase],
  );
}
