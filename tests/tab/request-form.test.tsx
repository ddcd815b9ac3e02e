/** @jest-environment jsdom */
/**
 * The Investigation Request form: messages beside each field from the shared zod schema,
 * several subjects, the unknown-associate rule, the monitoring rules, keeping progress and submitting.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { ApiContext, type Api } from '../../tab/src/api';
import { RequestForm } from '../../tab/src/pages/RequestFormPage';
import { emptyDraft, type RequestDraft } from '../../tab/src/requestDraft';
import { SessionContext } from '../../tab/src/session';
import type { ApiDecision, TeamManagerChoice } from '../../tab/src/types';
import { signedIn } from './fixtures';

interface Call {
  method: string;
  path: string;
  body: unknown;
}

function fakeApi(calls: Call[]): Api {
  let version = 1;
  return {
    get: async () => {
      throw new Error('not used');
    },
    send: async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
      calls.push({ method, path, body });
      if (path.endsWith('/actions/submit')) version += 1;
      return { ...(body as object), id: 'req-1', version, state: 'draft', updatedAt: '2026-11-25T10:00:00Z' } as T;
    },
    upload: () => {
      throw new Error('not used');
    },
    blob: async () => new Blob(),
  };
}

function renderForm(draft: RequestDraft = emptyDraft(), calls: Call[] = [], returned?: ApiDecision) {
  const user = userEvent.setup();
  render(
    <FluentProvider theme={teamsLightTheme}>
      <ApiContext.Provider value={fakeApi(calls)}>
        <RequestForm initialDraft={draft} initialId={returned ? 'req-1' : null} initialVersion={returned ? 3 : null} returned={returned} />
      </ApiContext.Provider>
    </FluentProvider>,
  );
  return { user, calls };
}

function complete(): RequestDraft {
  const d = emptyDraft();
  d.caseReference = 'CMS-1234';
  d.children = [{ key: 'c1', name: 'Riley Smith', dateOfBirth: '2016-04-12' }];
  d.concernCategories = ['risky_behaviour'];
  d.concernDetails = 'Reports of drinking at home.';
  d.justification = 'Would triangulate what the family say; visits have not settled it.';
  d.subjects = [{ ...d.subjects[0]!, kind: 'service_user', name: 'Jordan Smith' }];
  d.periodFrom = '2026-08-01';
  d.periodTo = '2026-11-01';
  d.neededBy = '2026-12-01';
  return d;
}

const submitButton = () => screen.getByRole('button', { name: 'Submit to team manager' });

describe('New Investigation Request form', () => {
  it('shows each message beside its field and in a summary when an empty form is submitted', async () => {
    const { user, calls } = renderForm();
    await user.click(submitButton());

    const summary = await screen.findByText(/There is a problem: 9 answers need attention/);
    expect(summary).toBeTruthy();
    const caseRef = screen.getByLabelText(/Case reference/);
    expect(caseRef.getAttribute('aria-invalid')).toBe('true');
    // The message is tied to the field so a screen reader reads it with the label.
    const describedBy = caseRef.getAttribute('aria-describedby') ?? '';
    const described = describedBy.split(' ').map((id) => document.getElementById(id)?.textContent ?? '');
    expect(described).toContain('Enter the case reference.');
    expect(screen.getAllByText("Enter the child's name.").length).toBeGreaterThan(0);
    expect(screen.getAllByText('Choose at least one concern.').length).toBeGreaterThan(0);
    expect(screen.getAllByText('Choose what kind of person this is.').length).toBeGreaterThan(0);
    expect(calls).toEqual([]);
  });

  it('shows a message once a field is left empty, before any submit', async () => {
    const { user } = renderForm();
    await user.click(screen.getByLabelText(/Case reference/));
    expect(screen.queryByText('Enter the case reference.')).toBeNull();
    await user.tab();
    expect(await screen.findByText('Enter the case reference.')).toBeTruthy();
  });

  it('adds and removes people to check, moving focus sensibly', async () => {
    const { user } = renderForm();
    expect(screen.queryByRole('group', { name: 'Person 2' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Add another person' }));
    const second = screen.getByRole('group', { name: 'Person 2' });
    await waitFor(() => expect(document.activeElement).toBe(within(second).getByLabelText(/Kind of person/)));
    await user.click(screen.getByRole('button', { name: 'Add another person' }));
    expect(screen.getByRole('group', { name: 'Person 3' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Remove person 2' }));
    expect(screen.queryByRole('group', { name: 'Person 3' })).toBeNull();
    expect(screen.getByRole('group', { name: 'Person 2' })).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add another person' })));
    // The last person cannot be removed: a request names at least one.
    await user.click(screen.getByRole('button', { name: 'Remove person 2' }));
    expect(screen.queryByRole('button', { name: /Remove person/ })).toBeNull();
  });

  it('describes an unknown associate instead of naming them', async () => {
    const { user } = renderForm(complete());
    const person = screen.getByRole('group', { name: 'Person 1' });
    expect(within(person).getByLabelText(/^Name/)).toBeTruthy();
    await user.selectOptions(within(person).getByLabelText(/Kind of person/), 'unknown_associate');

    expect(within(person).queryByLabelText(/^Name/)).toBeNull();
    expect(within(person).getByText(/An unknown associate is not named/)).toBeTruthy();
    await user.click(submitButton());
    expect((await screen.findAllByText('Describe the unknown associate in as much detail as you can.')).length).toBeGreaterThan(0);

    await user.type(within(person).getByLabelText(/^Description/), 'Man in his thirties, red van.');
    await waitFor(() => expect(screen.queryByText('Describe the unknown associate in as much detail as you can.')).toBeNull());
  });

  it('says in the summary which person a message is about', async () => {
    const draft = complete();
    draft.subjects = [draft.subjects[0]!, { ...draft.subjects[0]!, key: 's2', kind: 'family_member', name: 'Sam Jones', profileUrl: 'facebook.com/sam' }];
    const { user } = renderForm(draft);
    await user.click(submitButton());
    expect(await screen.findByRole('link', { name: 'Person 2 (Sam Jones), known profile link: Enter a full web address starting with https://' })).toBeTruthy();
  });

  it('asks for a name for every other kind of person', async () => {
    const draft = complete();
    draft.subjects = [{ ...draft.subjects[0]!, kind: 'family_member', name: '' }];
    const { user } = renderForm(draft);
    await user.click(submitButton());
    expect((await screen.findAllByText('Enter the person’s name.')).length).toBeGreaterThan(0);
  });

  it('is one-off by default and asks for justification, frequency and an end date for monitoring', async () => {
    const { user } = renderForm(complete());
    expect(screen.getByText(/can amount to directed surveillance/)).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'One-off review' })).toHaveProperty('checked', true);
    expect(screen.queryByLabelText(/Why monitoring/)).toBeNull();

    await user.click(screen.getByRole('radio', { name: 'Monitoring over a period' }));
    await user.click(submitButton());
    expect((await screen.findAllByText('Enter why monitoring (rather than a one-off check) is needed.')).length).toBeGreaterThan(0);
    expect(screen.getAllByText('Choose how often the profile would be looked at.').length).toBeGreaterThan(0);
    expect(screen.getAllByText('Enter the date monitoring would end as a real date, day/month/year, for example 14/03/2017.').length).toBeGreaterThan(0);

    await user.type(screen.getByLabelText(/Why monitoring/), 'Contact is expected to resume over the coming weeks.');
    await user.selectOptions(screen.getByLabelText(/How often/), 'weekly');
    await user.type(screen.getByLabelText(/Monitoring would end on/), '01/07/2026');
    expect((await screen.findAllByText('Monitoring must end after the period starts.')).length).toBeGreaterThan(0);
  });

  it('reads dates as day/month/year whatever the browser locale, and refuses ambiguous or impossible ones', async () => {
    const draft = complete();
    draft.children = [{ key: 'c1', name: 'Riley Smith', dateOfBirth: '' }];
    const { user, calls } = renderForm(draft);
    const dob = screen.getByLabelText(/Child 1: date of birth/);
    expect(dob.getAttribute('type')).not.toBe('date');
    expect((screen.getByLabelText(/Period to look at: from/) as HTMLInputElement).value).toBe('01/08/2026');

    await user.type(dob, '14/03/2017');
    await user.tab();
    expect((dob as HTMLInputElement).value).toBe('14/03/2017');
    // Saved to the API as YYYY-MM-DD: 14 March, not 3 December.
    const savedDob = () => calls.map((c) => (c.body as { children?: { dateOfBirth?: string }[] } | undefined)?.children?.[0]?.dateOfBirth);
    await waitFor(() => expect(savedDob()).toContain('2017-03-14'));

    for (const typed of ['14/03/17', '31/02/2017', '2017/03/14']) {
      await user.clear(dob);
      await user.type(dob, typed);
      await user.click(submitButton());
      expect((await screen.findAllByText("Enter the child's date of birth as a real date, day/month/year, for example 14/03/2017.")).length).toBeGreaterThan(0);
    }
  });

  it('shows why a returned request came back at the top of the form', () => {
    renderForm(complete(), [], { by: 'tom.reid', at: '2026-11-20T09:30:00Z', reason: 'Say what the home visits found.' });
    const heading = screen.getByRole('heading', { level: 1 });
    const notice = screen.getByText('Say what the home visits found.');
    expect(screen.getByText('Returned to you on 20/11/2026 09:30')).toBeTruthy();
    // Above the first question, so it is read before editing starts.
    expect(heading.compareDocumentPosition(notice) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(notice.compareDocumentPosition(screen.getByLabelText(/Case reference/)) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('asks for a description when "Other" is a concern', async () => {
    const { user } = renderForm(complete());
    await user.click(screen.getByRole('checkbox', { name: 'Other' }));
    await user.click(submitButton());
    expect((await screen.findAllByText('Describe the other concern.')).length).toBeGreaterThan(0);
  });

  it('saves an unfinished form on the server as a draft, leaving out a date still being typed', async () => {
    const draft = emptyDraft();
    draft.caseReference = 'CMS-7';
    const { user, calls } = renderForm(draft);
    // Nothing is saved for a form opened and left as it was.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(calls).toEqual([]);
    await user.type(screen.getByLabelText(/Period to look at: from/), '14/03');
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST' && c.path === '/api/requests')).toHaveLength(1));
    expect(calls[0]?.body).toMatchObject({ caseReference: 'CMS-7', concernDetails: '', period: { to: '' } });
    expect((calls[0]?.body as { period: { from?: string } }).period.from).toBeUndefined();
    expect(await screen.findByText(/Draft saved .*An answer not yet complete/)).toBeTruthy();

    await user.type(screen.getByLabelText(/Period to look at: from/), '/2026');
    const periodFrom = (c: Call) => (c.body as { period?: { from?: string } }).period?.from;
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT' && c.path === '/api/requests/req-1').map(periodFrom)).toContain('2026-03-14'));
  });

  it('saves a complete form as a draft and submits it', async () => {
    const draft = complete();
    draft.caseReference = '';
    const { user, calls } = renderForm(draft);
    await user.type(screen.getByLabelText(/Case reference/), 'CMS-9');

    await waitFor(() => expect(calls.filter((c) => c.method === 'POST' && c.path === '/api/requests')).toHaveLength(1));
    expect(calls[0]?.body).toMatchObject({ caseReference: 'CMS-9', monitoring: null, subjects: [{ kind: 'service_user', name: 'Jordan Smith' }] });
    expect(await screen.findByText(/Draft saved/)).toBeTruthy();

    await user.click(submitButton());
    await waitFor(() => expect(calls.some((c) => c.path === '/api/requests/req-1/actions/submit')).toBe(true));
    expect(calls.find((c) => c.path.endsWith('/actions/submit'))?.body).toEqual({ version: 1 });
  });

  it('asks the worker to choose a team manager, and says why, when their line manager is not one', async () => {
    const calls: Call[] = [];
    const choice: TeamManagerChoice = {
      teamManager: null,
      choose: true,
      why: 'Your manager in the directory, Nina Shah, does not hold the team manager role.',
      teamManagers: [
        { id: 'tom.reid', displayName: 'Tom Reid' },
        { id: 'ian.ford', displayName: 'Ian Ford' },
      ],
    };
    const api: Api = {
      ...fakeApi(calls),
      get: async <T,>(path: string): Promise<T> => {
        if (path !== '/api/me/team-manager') throw new Error(`not used: ${path}`);
        return choice as T;
      },
    };
    const user = userEvent.setup();
    render(
      <FluentProvider theme={teamsLightTheme}>
        <ApiContext.Provider value={api}>
          <SessionContext.Provider value={{ me: signedIn('paul.grant', 'Paul Grant', ['social_worker', 'service_manager']), hostKind: 'local', signOut: () => undefined }}>
            <RequestForm initialDraft={complete()} initialId={null} initialVersion={null} />
          </SessionContext.Provider>
        </ApiContext.Provider>
      </FluentProvider>,
    );
    expect(await screen.findByText(/does not hold the team manager role\. The protocol asks a team manager to agree each request in supervision/)).toBeTruthy();
    const picker = screen.getByLabelText(/Team manager to agree this request/);

    await user.click(submitButton());
    expect((await screen.findAllByText('Choose a team manager.')).length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.path.endsWith('/actions/submit'))).toEqual([]);

    await user.selectOptions(picker, 'ian.ford');
    await user.click(submitButton());
    await waitFor(() => expect(calls.find((c) => c.path.endsWith('/actions/submit'))?.body).toEqual({ version: 1, teamManagerId: 'ian.ford' }));
  });
});
