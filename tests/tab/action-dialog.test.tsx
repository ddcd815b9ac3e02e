/** @jest-environment jsdom */
/** Action dialogs: reasons required where the protocol says so, scope and review dates for authorisation. */
import { useState } from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import { ActionDialog } from '../../tab/src/components/ActionDialog';
import { ApiError } from '../../tab/src/api';
import type { ApiRequest, PersonSummary } from '../../tab/src/types';
import type { WorkflowAction } from '../../src/domain/states';
import { apiRequest, renderInTab, stubApi } from './fixtures';

const request: ApiRequest = apiRequest({
  state: 'awaiting_service_director',
  version: 3,
  allowedActions: [
    { action: 'authorise', reasonRequired: false },
    { action: 'refuse', reasonRequired: true },
    { action: 'return', reasonRequired: true },
  ],
  waitingForMe: true,
  children: [{ name: 'Riley' }],
  subjects: [
    { id: 's1', kind: 'service_user', name: 'Jordan Smith' },
    { id: 's2', kind: 'unknown_associate', description: 'Man with a red van' },
  ],
});

const workers: PersonSummary[] = [{ id: 'imran', displayName: 'Imran Malik', roles: ['access_worker'], team: null }];

async function setup(action: WorkflowAction, r: ApiRequest = request) {
  const sent: { path: string; body: unknown }[] = [];
  const api = stubApi({
    get: async <T,>(path: string) => {
      expect(path).toBe('/api/people?role=access_worker');
      return workers as T;
    },
    send: async <T,>(_method: string, path: string, body?: unknown) => {
      sent.push({ path, body });
      return { ...r, version: r.version + 1 } as T;
    },
  });
  const done = jest.fn();
  const { user } = renderInTab(<ActionDialog action={action} request={r} onClose={() => undefined} onDone={done} onStale={() => undefined} />, { api });
  // Let the access worker list settle so later updates happen inside act().
  await act(async () => undefined);
  return { user, sent, done, dialog: screen.getByRole('dialog') };
}

describe('action dialogs', () => {
  it('will not refuse without a written reason', async () => {
    const { user, sent, done, dialog } = await setup('refuse');
    await user.click(within(dialog).getByRole('button', { name: 'Refuse' }));
    expect(await within(dialog).findByText('Enter a reason.')).toBeTruthy();
    expect(sent).toEqual([]);

    await user.type(within(dialog).getByLabelText(/Reason/), 'Not proportionate: other checks not yet tried.');
    await user.click(within(dialog).getByRole('button', { name: 'Refuse' }));
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(sent).toEqual([{ path: '/api/requests/r1/actions/refuse', body: { version: 3, reason: 'Not proportionate: other checks not yet tried.' } }]);
  });

  it('authorises the scope chosen, narrowing the people', async () => {
    const { user, sent, dialog } = await setup('authorise');
    expect(within(dialog).getByText(/One-off review of the period 01\/08\/2026 to 01\/11\/2026/)).toBeTruthy();
    await user.click(within(dialog).getByRole('checkbox', { name: /Unknown associate: Man with a red van/ }));
    await within(dialog).findByRole('option', { name: 'Imran Malik' });
    await user.selectOptions(within(dialog).getByLabelText(/Access worker/), 'imran');
    await user.click(within(dialog).getByRole('button', { name: 'Authorise' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.body).toEqual({ version: 3, subjectIds: ['s1'], accessWorkerId: 'imran' });
  });

  it('warns about directed surveillance and asks for review dates when monitoring is requested', async () => {
    const { dialog } = await setup('authorise', { ...request, monitoring: { justification: 'z', frequency: 'weekly', endDate: '2026-12-31' } });
    expect(within(dialog).getByText(/can amount to directed surveillance/)).toBeTruthy();
    expect(within(dialog).getByLabelText('Review date 1')).toBeTruthy();
  });

  it('asks for an outcome and a reason to resolve a doubt', async () => {
    const { user, sent, dialog } = await setup('resolve-doubt', { ...request, state: 'on_hold' });
    await user.click(within(dialog).getByRole('button', { name: 'Resolve the doubt' }));
    expect(await within(dialog).findByText('Choose resume or cancel.')).toBeTruthy();
    expect(within(dialog).getByText('Enter a reason.')).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it('names every problem with the scope and dates before sending, not one at a time', async () => {
    const { user, sent, dialog } = await setup('authorise', { ...request, today: '2026-11-10' });
    await user.click(within(dialog).getByRole('checkbox', { name: /Jordan Smith/ }));
    await user.click(within(dialog).getByRole('checkbox', { name: /Man with a red van/ }));
    await user.type(within(dialog).getByLabelText(/Use by/), '09/11/2026');
    await user.click(within(dialog).getByRole('button', { name: 'Authorise' }));
    expect(await within(dialog).findByText('Choose at least one person in scope.')).toBeTruthy();
    expect(within(dialog).getByText('Choose a use-by date from today (10/11/2026) on.')).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it('asks for a review date after today when monitoring is authorised', async () => {
    const monitoring = { ...request, today: '2026-11-10', monitoring: { justification: 'z', frequency: 'weekly' as const, endDate: '2026-12-31' } };
    const { user, sent, dialog } = await setup('authorise', monitoring);
    await user.click(within(dialog).getByRole('button', { name: 'Authorise' }));
    expect(await within(dialog).findByText('Monitoring needs at least one review date.')).toBeTruthy();
    await user.type(within(dialog).getByLabelText('Review date 1'), '10/11/2026');
    await user.click(within(dialog).getByRole('button', { name: 'Authorise' }));
    expect(await within(dialog).findByText('Review dates must be after today.')).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it('shows what the server says about answers the dialog does not ask for', async () => {
    const api = stubApi({
      send: async () => {
        throw new ApiError(400, 'validation', 'The log is not complete yet.', { searchSessions: 'End the search session that is still running.' });
      },
    });
    const searching = { ...request, state: 'searching' as const, allowedActions: [{ action: 'complete-log' as const, reasonRequired: false }] };
    const { user } = renderInTab(<ActionDialog action="complete-log" request={searching} onClose={() => undefined} onDone={() => undefined} onStale={() => undefined} />, { api });
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Complete the log' }));
    expect(await within(dialog).findByText('The log is not complete yet.')).toBeTruthy();
    expect(within(dialog).getByText('End the search session that is still running.')).toBeTruthy();
  });

  it('names who the log will be shared with', async () => {
    const finalised = {
      ...request,
      state: 'finalised' as const,
      allowedActions: [{ action: 'share' as const, reasonRequired: false }],
      authorisation: { by: 'sarah', at: '2026-11-02T10:00:00Z', scope: { subjectIds: ['s1'], period: request.period, kind: 'one_off' as const, useBy: '2026-11-30T23:59:59.999Z' } },
      people: { amelia: 'Amelia Hart', tom: 'Tom Reid', sarah: 'Sarah Mitchell' },
    };
    const { dialog } = await setup('share', finalised);
    const recipients = within(dialog).getAllByRole('listitem').map((li) => li.textContent);
    expect(recipients).toEqual(['Tom Reid, team manager', 'The service manager for the case’s team', 'Sarah Mitchell, service director who authorised the check']);
  });

  function renderPage() {
    function Page() {
      const [action, setAction] = useState<WorkflowAction | null>(null);
      return (
        <>
          <h1 tabIndex={-1}>Request</h1>
          <button onClick={() => setAction('refuse')}>Refuse…</button>
          <ActionDialog action={action} request={request} onClose={() => setAction(null)} onDone={() => setAction(null)} onStale={() => undefined} />
        </>
      );
    }
    const api = stubApi({
      get: async <T,>() => workers as T,
      send: async <T,>() => ({ ...request, version: 4 }) as T,
    });
    const { user } = renderInTab(<Page />, { api });
    return { user, opener: screen.getByRole('button', { name: 'Refuse…' }) };
  }

  it('gives focus back to the button that opened it when it is closed', async () => {
    const { user, opener } = renderPage();
    await user.click(opener);
    const dialog = await screen.findByRole('dialog', { hidden: true });
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    await user.click(within(dialog).getByRole('button', { name: 'Close', hidden: true }));
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });

  it('gives focus back to the button that opened it after the decision is made', async () => {
    const { user, opener } = renderPage();
    await user.click(opener);
    const dialog = await screen.findByRole('dialog', { hidden: true });
    await user.type(within(dialog).getByLabelText(/Reason/), 'Not proportionate.');
    await user.click(within(dialog).getByRole('button', { name: 'Refuse' }));
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });
});

describe('when someone else acted first (409)', () => {
  it('says so once, offers no second try, keeps focus in the dialog, and has the page load the request again', async () => {
    const stale = jest.fn();
    const api = stubApi({
      get: async <T,>() => workers as T,
      send: async () => {
        throw new ApiError(409, 'stale_version', 'The request was changed by someone else: it is now version 4 (“Draft”). Reload it and try again.');
      },
    });
    const { user } = renderInTab(<ActionDialog action="return" request={request} onClose={() => undefined} onDone={() => undefined} onStale={stale} />, { api });
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByLabelText(/Reason/), 'Needs the case number.');
    await user.click(within(dialog).getByRole('button', { name: 'Return to worker' }));
    expect(await within(dialog).findByText(/Someone else changed this request while you had it open, so nothing was done\./)).toBeTruthy();
    expect(within(dialog).queryByText(/version 4/)).toBeNull();
    expect(within(dialog).queryByRole('button', { name: 'Return to worker' })).toBeNull();
    expect(stale).toHaveBeenCalledTimes(1);
    expect(dialog.contains(document.activeElement)).toBe(true);
  });
});
