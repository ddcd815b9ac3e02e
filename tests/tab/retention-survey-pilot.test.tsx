/** @jest-environment jsdom */
/**
 * The retention review (legal hold with a reason; a service manager proposes disposal, a different
 * service director confirms it), the monthly process survey, and the pilot settings form.
 */
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { ApiContext, ApiError, type Api } from '../../tab/src/api';
import { SessionContext } from '../../tab/src/session';
import RetentionPage from '../../tab/src/pages/RetentionPage';
import { SurveyPrompt } from '../../tab/src/components/SurveyPrompt';
import { PilotSettingsForm } from '../../tab/src/components/PilotSettingsForm';
import type { Me, RetentionItem, RetentionReview } from '../../tab/src/types';
import type { Role } from '../../src/domain/roles';
import { signedIn } from './fixtures';

const LAWFUL = 'UK GDPR Article 6(1)(e)';
const item = (id: string, reference: string, status: RetentionItem['retention']['status'], extra: Partial<RetentionItem['retention']> = {}): RetentionItem => ({
  request: { id, reference, state: 'closed', closedAt: '2019-05-01T10:00:00Z', disposedAt: null, team: 'Assessment Team North' },
  retention: { lawfulBasis: LAWFUL, rule: 'Kept for 6 years from closure (completed and shared), then reviewed for disposal.', retainUntil: '2025-05-01', status, legalHold: null, proposal: null, disposal: null, ...extra },
  filesToRemove: 0,
});

function review(): RetentionReview {
  return {
    today: '2026-11-30',
    schedule: { shared: 72, declined: 24, refused: 24, cancelled: 24, expired: 24 },
    lawfulBasis: LAWFUL,
    due: [item('r1', 'SMC-2019-000001', 'due')],
    proposed: [
      item('r2', 'SMC-2019-000002', 'proposed', { proposal: { by: 'grace.lee', at: '2026-11-20T10:00:00Z', note: 'Nothing outstanding.' } }),
      item('r3', 'SMC-2019-000003', 'proposed', { proposal: { by: 'dual.role', at: '2026-11-21T10:00:00Z', note: null } }),
    ],
    onHold: [item('r4', 'SMC-2019-000004', 'on_hold', { legalHold: { by: 'grace.lee', at: '2026-10-01T10:00:00Z', reason: 'Complaint to the ombudsman' } })],
    filesToRemove: [],
  };
}

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

function fakeApi(answers: { get?: (path: string) => unknown; send?: (sent: Sent) => unknown }) {
  const sent: Sent[] = [];
  let gets = 0;
  const api: Api = {
    get: async <T,>(path: string) => {
      gets += 1;
      return (answers.get?.(path) ?? null) as T;
    },
    send: async <T,>(method: string, path: string, body?: unknown) => {
      const s = { method, path, body };
      sent.push(s);
      return (answers.send?.(s) ?? null) as T;
    },
    upload: () => {
      throw new Error('not used');
    },
    blob: async () => new Blob(),
  };
  return { api, sent, gets: () => gets };
}

async function show(node: React.ReactNode, api: Api, me: Me = signedIn('x', 'X', [])) {
  render(
    <FluentProvider theme={teamsLightTheme}>
      <ApiContext.Provider value={api}>
        <SessionContext.Provider value={{ me, hostKind: 'local', signOut: () => undefined }}>{node}</SessionContext.Provider>
      </ApiContext.Provider>
    </FluentProvider>,
  );
  await act(async () => undefined);
  const user = userEvent.setup({ delay: null });
  // Pasting rather than typing key by key keeps the suite quick; the forms read the value either way.
  return Object.assign(user, { fill: async (el: HTMLElement, text: string) => { await user.click(el); await user.paste(text); } });
}

const person = (id: string, ...roles: Role[]): Me => signedIn(id, id, roles);
const card = (reference: string) => screen.getByRole('listitem', { name: reference });

describe('the retention review', () => {
  it('lets a service manager place a legal hold only with a reason, and propose disposal of what is due', async () => {
    const { api, sent, gets } = fakeApi({ get: () => review(), send: () => ({}) });
    const user = await show(<RetentionPage />, api, person('grace.lee', 'service_manager'));
    expect(screen.getByRole('heading', { name: 'Due for a decision (1)' })).toBeTruthy();
    expect(within(card('SMC-2019-000004')).getByText(/Complaint to the ombudsman/)).toBeTruthy();
    // A service manager does not confirm disposals.
    expect(within(card('SMC-2019-000002')).queryByRole('button', { name: 'Confirm disposal' })).toBeNull();

    await user.click(within(card('SMC-2019-000001')).getByRole('button', { name: 'Place legal hold' }));
    await user.click(within(card('SMC-2019-000001')).getByRole('button', { name: 'Place the hold' }));
    expect(await screen.findByText('Enter the reason for the legal hold.')).toBeTruthy();
    expect(sent).toEqual([]);
    await user.fill(within(card('SMC-2019-000001')).getByLabelText(/Reason for the legal hold/), 'Claim against the council');
    await user.click(within(card('SMC-2019-000001')).getByRole('button', { name: 'Place the hold' }));
    expect(await screen.findByText(/Legal hold placed: the schedule is suspended/)).toBeTruthy();
    expect(sent).toEqual([{ method: 'PUT', path: '/api/retention/requests/r1/hold', body: { hold: true, reason: 'Claim against the council' } }]);
    expect(gets()).toBe(2);

    await user.click(within(card('SMC-2019-000001')).getByRole('button', { name: 'Propose disposal' }));
    await user.fill(within(card('SMC-2019-000001')).getByLabelText(/Note for the service director/), 'Closed six years ago.');
    await user.click(within(card('SMC-2019-000001')).getAllByRole('button', { name: 'Propose disposal' })[0] as HTMLElement);
    expect(await screen.findByText('Disposal proposed: a service director must confirm it.')).toBeTruthy();
    expect(sent[1]).toEqual({ method: 'POST', path: '/api/retention/requests/r1/proposal', body: { note: 'Closed six years ago.' } });

    await user.click(within(card('SMC-2019-000004')).getByRole('button', { name: 'Lift legal hold' }));
    await user.fill(within(card('SMC-2019-000004')).getByLabelText(/Reason for lifting the hold/), 'Complaint closed');
    await user.click(within(card('SMC-2019-000004')).getByRole('button', { name: 'Lift the hold' }));
    await waitFor(() => expect(sent[2]).toEqual({ method: 'PUT', path: '/api/retention/requests/r4/hold', body: { hold: false, reason: 'Complaint closed' } }));
  });

  it('lets a service director confirm another person’s proposal after a warning, never their own, and shows the server’s refusal', async () => {
    const { api, sent } = fakeApi({
      get: () => review(),
      send: () => {
        throw new ApiError(403, 'two_person_disposal', 'The person who proposed a disposal cannot also confirm it.');
      },
    });
    const user = await show(<RetentionPage />, api, person('dual.role', 'service_director', 'service_manager'));
    expect(within(card('SMC-2019-000003')).queryByRole('button', { name: 'Confirm disposal' })).toBeNull();
    expect(within(card('SMC-2019-000003')).getByText(/You proposed this disposal: a different service director must confirm it/)).toBeTruthy();

    await user.click(within(card('SMC-2019-000002')).getByRole('button', { name: 'Confirm disposal' }));
    expect(within(card('SMC-2019-000002')).getByText(/removes the request’s personal data, evidence files and documents/)).toBeTruthy();
    await user.click(within(card('SMC-2019-000002')).getByRole('button', { name: 'Dispose of it now' }));
    expect(await screen.findByText('The person who proposed a disposal cannot also confirm it.')).toBeTruthy();
    expect(screen.getByText('SMC-2019-000002: not done')).toBeTruthy();
    expect(sent).toEqual([{ method: 'POST', path: '/api/retention/requests/r2/disposal', body: undefined }]);
  });

  it('is not offered to a social worker', async () => {
    const { api, gets } = fakeApi({ get: () => review() });
    await show(<RetentionPage />, api, person('amelia.hart', 'social_worker'));
    expect(screen.getByText('The retention review is for service managers and service directors.')).toBeTruthy();
    expect(gets()).toBe(1);
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('the process survey', () => {
  it('is not shown when the server says the person was asked in the last month', async () => {
    const { api, sent } = fakeApi({ send: () => ({ ask: false }) });
    await show(<SurveyPrompt />, api);
    expect(sent).toEqual([{ method: 'POST', path: '/api/surveys/ask', body: undefined }]);
    expect(screen.queryByRole('heading')).toBeNull();
  });

  it('asks for both ratings, then sends them with the comment', async () => {
    const { api, sent } = fakeApi({ send: (s) => (s.path === '/api/surveys/ask' ? { ask: true } : { id: 'a1' }) });
    const user = await show(<SurveyPrompt />, api);
    await user.click(screen.getByRole('button', { name: 'Answer the survey' }));
    await user.click(screen.getByRole('button', { name: 'Send answers' }));
    expect(screen.getAllByText('Choose a rating from 1 to 5.')).toHaveLength(2);
    expect(sent).toHaveLength(1);
    await user.click(within(screen.getByRole('radiogroup', { name: /How easy/ })).getByRole('radio', { name: '4' }));
    await user.click(within(screen.getByRole('radiogroup', { name: /How effective/ })).getByRole('radio', { name: '2' }));
    await user.fill(screen.getByLabelText(/Comment/), 'Waiting for the director is slow.');
    await user.click(screen.getByRole('button', { name: 'Send answers' }));
    expect(await screen.findByText(/You will not be asked again for a month/)).toBeTruthy();
    expect(sent[1]).toEqual({ method: 'POST', path: '/api/surveys', body: { easeOfAuthorisation: 4, effectiveness: 2, comments: 'Waiting for the director is slow.' } });
  });

  it('shows the server’s refusal of a second answer within the month', async () => {
    const { api } = fakeApi({
      send: (s) => {
        if (s.path === '/api/surveys/ask') return { ask: true };
        throw new ApiError(409, 'invalid_state', 'You answered the survey on 20/11/2026: you can answer again from 20/12/2026.');
      },
    });
    const user = await show(<SurveyPrompt />, api);
    await user.click(screen.getByRole('button', { name: 'Answer the survey' }));
    await user.click(within(screen.getByRole('radiogroup', { name: /How easy/ })).getByRole('radio', { name: '5' }));
    await user.click(within(screen.getByRole('radiogroup', { name: /How effective/ })).getByRole('radio', { name: '5' }));
    await user.click(screen.getByRole('button', { name: 'Send answers' }));
    expect(await screen.findByText(/you can answer again from 20\/12\/2026/)).toBeTruthy();
  });
});

describe('the pilot settings form', () => {
  it('shows the saved settings and sends the start, length, platforms and register size', async () => {
    const saved = { startDate: '2026-09-01', lengthMonths: 6, platforms: ['facebook'], registerSize: 6, endDate: '2027-02-28' };
    const { api, sent } = fakeApi({
      get: () => saved,
      send: (s) => {
        const body = s.body as { platforms: string[] };
        if (body.platforms.length === 0) throw new ApiError(400, 'validation', 'Check the highlighted fields.', { platforms: 'Choose at least one platform.' });
        return { ...saved, ...body, endDate: '2027-05-31' };
      },
    });
    const user = await show(<PilotSettingsForm />, api);
    expect(screen.getByText(/runs from 01\/09\/2026 to 28\/02\/2027/)).toBeTruthy();
    await user.click(screen.getByRole('checkbox', { name: /Facebook/ }));
    await user.click(screen.getByRole('button', { name: 'Save pilot settings' }));
    expect(await screen.findByText('Choose at least one platform.')).toBeTruthy();

    await user.click(screen.getByRole('checkbox', { name: /Instagram \(instagram\.com/ }));
    await user.click(screen.getByRole('checkbox', { name: /Facebook/ }));
    const length = screen.getByLabelText(/Length in months/);
    await user.clear(length);
    await user.fill(length, '9');
    await user.click(screen.getByRole('button', { name: 'Save pilot settings' }));
    expect(await screen.findByText('The pilot settings are saved.')).toBeTruthy();
    expect(sent[1]).toEqual({ method: 'PUT', path: '/api/pilot/settings', body: { startDate: '2026-09-01', lengthMonths: 9, platforms: ['facebook', 'instagram'], registerSize: 6 } });
    expect(screen.getByText(/runs from 01\/09\/2026 to 31\/05\/2027/)).toBeTruthy();
  });
});
