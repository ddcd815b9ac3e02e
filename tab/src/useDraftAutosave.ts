/**
 * Autosave for the request form: every change is kept in sessionStorage at once, and once the
 * draft validates and typing has paused it is saved through the API (created, then updated with
 * its version). Saves run one after another, so two never race.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, useApi } from './api';
import { storeDraft, toInput, type RequestDraft } from './requestDraft';
import type { ApiRequest } from './types';

const AUTOSAVE_DELAY_MS = 1200;

export type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: string } | { kind: 'local' } | { kind: 'error'; message: string };

export interface DraftAutosave {
  save: SaveState;
  /** Field errors the server gave for the last save. */
  serverErrors: Record<string, string>;
  /** Saves now (waiting for any save under way) and resolves with the saved draft's id and version. */
  saveNow(draft: RequestDraft): Promise<{ id: string; version: number }>;
}

export function useDraftAutosave(draft: RequestDraft, valid: boolean, initial: { id: string | null; version: number | null }): DraftAutosave {
  const api = useApi();
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const saved = useRef<{ id: string | null; version: number | null; json: string }>({ ...initial, json: '' });
  const pendingSave = useRef<Promise<void> | null>(null);

  const saveToServer = (current: RequestDraft): Promise<void> => {
    const json = JSON.stringify(toInput(current));
    const run = async () => {
      if (json === saved.current.json && saved.current.id) return;
      setSave({ kind: 'saving' });
      try {
        const body = toInput(current);
        const result = saved.current.id
          ? await api.send<ApiRequest>('PUT', `/api/requests/${encodeURIComponent(saved.current.id)}`, { ...body, version: saved.current.version })
          : await api.send<ApiRequest>('POST', '/api/requests', body);
        if (!saved.current.id) {
          storeDraft(null, null);
          // The address now names the saved draft, so a reload reopens it.
          window.history.replaceState(null, '', `/requests/${encodeURIComponent(result.id)}/edit${window.location.search}`);
        }
        saved.current = { id: result.id, version: result.version, json };
        storeDraft(result.id, null);
        setServerErrors({});
        setSave({ kind: 'saved', at: result.updatedAt });
      } catch (error) {
        if (error instanceof ApiError && error.fields) setServerErrors(error.fields);
        setSave({ kind: 'error', message: errorMessage(error) });
        throw error;
      }
    };
    const next = (pendingSave.current ?? Promise.resolve()).catch(() => undefined).then(run);
    pendingSave.current = next;
    return next;
  };

  // Keep every keystroke locally; save to the API once the form is complete and has paused.
  useEffect(() => {
    storeDraft(saved.current.id, draft);
    if (!valid) {
      setSave((s) => (s.kind === 'saving' ? s : { kind: 'local' }));
      return;
    }
    const timer = setTimeout(() => {
      saveToServer(draft).catch(() => undefined);
    }, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
    // saveToServer reads only refs, so the draft and its validity are the real inputs.
  }, [draft, valid]);

  const saveNow = async (current: RequestDraft) => {
    await saveToServer(current);
    const { id, version } = saved.current;
    if (!id || version === null) throw new Error('The draft could not be saved.');
    return { id, version };
  };

  return { save, serverErrors, saveNow };
}
