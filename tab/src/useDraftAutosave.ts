/**
 * Autosave for the request form: once typing pauses the draft is saved on the server, answers
 * still missing and all (created, then updated with its version), so it can be picked up from
 * "My requests" anywhere. An answer still being typed (a half date or link) waits for the next
 * save. Saves run one after another, so two never race, and leaving the form saves what is left.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, useApi } from './api';
import { draftSaveBody, type RequestDraft } from './requestDraft';
import type { ApiRequest } from './types';

const AUTOSAVE_DELAY_MS = 1200;

export type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: string; held: boolean } | { kind: 'error'; message: string };

export interface DraftAutosave {
  save: SaveState;
  /** Field errors the server gave for the last save. */
  serverErrors: Record<string, string>;
  /** The saved draft's reference, or null while nothing has been saved. */
  reference: string | null;
  /** Saves now, even an untouched new form (waiting for any save under way), and resolves with the saved draft's id and version. */
  saveNow(draft: RequestDraft): Promise<{ id: string; version: number }>;
  /** Lets a save under way finish, then deletes whatever draft exists; resolves with its reference. */
  discard(): Promise<string | null>;
}

export function useDraftAutosave(draft: RequestDraft, initial: { id: string | null; version: number | null; reference: string | null }): DraftAutosave {
  const api = useApi();
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  // What the server holds: a form opened and left alone is not saved again, and `/new` saves nothing until something is written.
  const saved = useRef<{ id: string | null; version: number | null; reference: string | null; json: string }>({
    ...initial,
    json: JSON.stringify(draftSaveBody(draft).body),
  });
  const pendingSave = useRef<Promise<void> | null>(null);
  const latest = useRef(draft);
  latest.current = draft;
  const mounted = useRef(true);
  const discarded = useRef(false);

  const saveToServer = (current: RequestDraft, force = false): Promise<void> => {
    const { body, held } = draftSaveBody(current);
    const json = JSON.stringify(body);
    const run = async () => {
      if (!body || (json === saved.current.json && (saved.current.id || !force))) return;
      setSave({ kind: 'saving' });
      try {
        const result = saved.current.id
          ? await api.send<ApiRequest>('PUT', `/api/requests/${encodeURIComponent(saved.current.id)}`, { ...body, version: saved.current.version })
          : await api.send<ApiRequest>('POST', '/api/requests', body);
        if (!saved.current.id && mounted.current) {
          // The address now names the saved draft, so a reload reopens it.
          window.history.replaceState(null, '', `/requests/${encodeURIComponent(result.id)}/edit${window.location.search}`);
        }
        saved.current = { id: result.id, version: result.version, reference: result.reference, json };
        setServerErrors({});
        setSave({ kind: 'saved', at: result.updatedAt, held: held.length > 0 });
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

  useEffect(() => {
    const timer = setTimeout(() => {
      saveToServer(draft).catch(() => undefined);
    }, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
    // saveToServer reads only refs, so the draft is the real input.
  }, [draft]);

  // Leaving the form before typing pauses (the person goes straight to another page) still saves
  // what was typed last; the address is left alone, as it is another page's by then.
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (!discarded.current) saveToServer(latest.current).catch(() => undefined);
    };
    // Runs once, on leaving; saveToServer and the draft are read through refs.
  }, []);

  const saveNow = async (current: RequestDraft) => {
    await saveToServer(current, true);
    const { id, version } = saved.current;
    if (!id || version === null) throw new Error('The draft could not be saved.');
    return { id, version };
  };

  const discard = async () => {
    discarded.current = true;
    try {
      // A save under way may be creating the draft: let it finish, then delete what it made.
      await (pendingSave.current ?? Promise.resolve()).catch(() => undefined);
      const { id, version, reference } = saved.current;
      if (id) await api.send<void>('DELETE', `/api/requests/${encodeURIComponent(id)}${version ? `?version=${version}` : ''}`);
      return reference;
    } catch (error) {
      // Not discarded after all: the form stays, and leaving it saves it as before.
      discarded.current = false;
      throw error;
    }
  };

  return { save, serverErrors, reference: saved.current.reference, saveNow, discard };
}
