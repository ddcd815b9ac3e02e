/**
 * "Discard draft" with a confirmation. The dialog is opened by its DialogTrigger, so Fluent gives
 * focus back to the button when it closes without discarding.
 */
import { useState } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger } from '@fluentui/react-components';
import { errorMessage } from '../api';
import { Notice } from './common';

interface Props {
  /** The draft's reference, or null while nothing has been saved. */
  reference: string | null;
  /** Deletes the draft; rejects with the reason it could not. */
  onDiscard(): Promise<void>;
}

export function DiscardDraftButton({ reference, onDiscard }: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const discard = async () => {
    setBusy(true);
    setError(null);
    try {
      await onDiscard();
      setOpen(false);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} modalType="alert" onOpenChange={(_, d) => !busy && setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="secondary" aria-label={reference ? `Discard draft ${reference}` : undefined}>
          Discard draft
        </Button>
      </DialogTrigger>
      <DialogSurface aria-describedby="discard-explain">
        <DialogBody>
          <DialogTitle>Discard this draft?</DialogTitle>
          <DialogContent>
            <p id="discard-explain">
              {reference ? `Draft ${reference} and everything written in it will be deleted. ` : 'What you have written will be deleted. '}
              This cannot be undone. The audit trail keeps only that the draft existed and that you discarded it.
            </p>
            <div aria-live="assertive">{error && <Notice intent="error" title="Not discarded">{error}</Notice>}</div>
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="secondary" disabledFocusable={busy}>
                Keep the draft
              </Button>
            </DialogTrigger>
            <Button appearance="primary" disabledFocusable={busy} onClick={() => void discard()}>
              {busy ? 'Discarding…' : 'Discard draft'}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
