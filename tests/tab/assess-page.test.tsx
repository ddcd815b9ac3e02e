/** @jest-environment jsdom */
/** The assessment: every problem listed at the top, linked to its field, in plain words. */
import { screen, waitFor } from '@testing-library/react';
import AssessPage from '../../tab/src/pages/AssessPage';
import { apiRequest, renderInTab, signedIn, stubApi, stubResizeObserver } from './fixtures';

const request = apiRequest({
  state: 'with_originating_worker',
  log: { findings: [], furtherPersons: [] },
});

it('lists what needs attention at the top, linking to each field, and asks for 0 or more pieces', async () => {
  stubResizeObserver();
  const api = stubApi({ get: async <T,>(path: string) => (path === '/api/requests/r1' ? request : []) as T });
  const { user } = renderInTab(<AssessPage id="r1" />, { api, me: signedIn('amelia', 'Amelia Hart', ['social_worker']) });
  await user.type(await screen.findByLabelText(/Useful pieces of information/), '-2');
  await user.click(screen.getByRole('button', { name: 'Save assessment' }));
  const summary = await screen.findByRole('alert', { name: /There is a problem: 5 answers need attention/ });
  await waitFor(() => expect(document.activeElement).toBe(summary));
  const useful = screen.getByRole('link', { name: 'Useful pieces of information: Enter 0 or more.' });
  expect(useful.getAttribute('href')).toBe('#f-usefulPieces');
  expect(screen.getByRole('link', { name: /^Contribution: / })).toBeTruthy();
  // The summary comes before the findings, not after the buttons at the foot of the page.
  expect(summary.compareDocumentPosition(screen.getByRole('heading', { name: 'What the access worker found' })) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
});
