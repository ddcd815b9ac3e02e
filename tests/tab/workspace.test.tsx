/** @jest-environment jsdom */
/** The access worker's workspace shows what they must judge and how long the authorisation lasts. */
import { screen, within } from '@testing-library/react';
import WorkspacePage from '../../tab/src/pages/WorkspacePage';
import { apiRequest, renderInTab, signedIn, stubApi, stubResizeObserver } from './fixtures';

const request = apiRequest({
  state: 'assigned',
  accessWorkerId: 'imran',
  concernDetails: 'Reports of drinking at home.',
  justification: 'Would triangulate what the family say; home visits have not settled it.',
  authorisation: {
    by: 'sarah',
    at: '2026-11-02T10:00:00Z',
    scope: { subjectIds: ['s1'], period: { from: '2026-08-01', to: '2026-11-01' }, kind: 'one_off', useBy: '2026-11-30T23:59:59.999Z' },
  },
});

it('shows the reason for the check and the authorisation’s use-by and end beside the scope', async () => {
  stubResizeObserver();
  const api = stubApi({ get: async <T,>(path: string) => (path === '/api/requests/r1' ? request : []) as T });
  renderInTab(<WorkspacePage id="r1" />, { api, me: signedIn('imran', 'Imran Malik', ['access_worker']) });
  const scope = await screen.findByRole('region', { name: 'What you may search' });
  const value = (term: string) => within(scope).getByText(term).nextElementSibling?.textContent;
  expect(value('Why a check is needed and proportionate')).toBe('Would triangulate what the family say; home visits have not settled it.');
  expect(value('Use by')).toBe('Start searching by 30/11/2026');
  expect(value('Ends')).toBe('7 days after the first search session starts, or when you complete the log');
});
