/** @jest-environment jsdom */
/**
 * A person who types into a new request and goes straight to another page, before typing pauses,
 * finds what they typed in the draft; one who discards it leaves nothing behind.
 */
import type { ReactNode } from 'react';
import { act, renderHook } from '@testing-library/react';
import { ApiContext } from '../../tab/src/api';
import { emptyDraft, type RequestDraft } from '../../tab/src/requestDraft';
import { useDraftAutosave } from '../../tab/src/useDraftAutosave';
import { apiRequest, stubApi } from './fixtures';

function setup() {
  const sent: { method: string; path: string; body: unknown }[] = [];
  const api = stubApi({
    send: async <T,>(method: string, path: string, body?: unknown) => {
      sent.push({ method, path, body });
      return apiRequest({ id: 'd1', state: 'draft', version: 1 }) as T;
    },
  });
  const wrapper = ({ children }: { children: ReactNode }) => <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
  const hook = renderHook(({ draft }: { draft: RequestDraft }) => useDraftAutosave(draft, { id: null, version: null, reference: null }), { wrapper, initialProps: { draft: emptyDraft() } });
  return { sent, hook };
}

const typed = (): RequestDraft => ({ ...emptyDraft(), caseReference: 'CASE-LEFT-AT-ONCE' });

test('leaving the form before the autosave pause saves what was typed last', async () => {
  const { sent, hook } = setup();
  hook.rerender({ draft: typed() });
  await act(async () => hook.unmount());
  expect(sent).toEqual([{ method: 'POST', path: '/api/requests', body: expect.objectContaining({ caseReference: 'CASE-LEFT-AT-ONCE' }) }]);
});

test('leaving an untouched form saves nothing', async () => {
  const { sent, hook } = setup();
  await act(async () => hook.unmount());
  expect(sent).toEqual([]);
});

test('a form discarded before it was ever saved is not saved on leaving', async () => {
  const { sent, hook } = setup();
  hook.rerender({ draft: typed() });
  await act(async () => {
    await hook.result.current.discard();
  });
  await act(async () => hook.unmount());
  expect(sent).toEqual([]);
});
