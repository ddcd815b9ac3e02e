/** @jest-environment jsdom */
/** The evaluation dashboard in words: whole outcome names, months by name, a count's noun singular for one. */
import { screen, within } from '@testing-library/react';
import EvaluationPage from '../../tab/src/pages/EvaluationPage';
import type { Evaluation } from '../../tab/src/types';
import { renderInTab, stubApi, stubResizeObserver } from './fixtures';

const none = { little: 0, some: 0, considerable: 0, significant: 0 };
const figures: Evaluation = {
  period: { from: '2026-07-01', to: '2026-12-03' },
  team: null,
  uses: { requests: 6, byTeam: [{ team: 'Assessment Team North', requests: 6 }], byAccessWorker: [] },
  outcomes: { counts: { open: 5, shared: 1, declined: 0, refused: 0, withdrawn: 0, cancelled: 0, lapsed: 0 }, notProceeding: [] },
  time: { totalSearchMinutes: 1.4, sessions: 1, perRequestMinutes: { count: 1, median: 1.4, min: 1.4, max: 1.4 }, buckets: [] },
  turnaround: [],
  value: { assessed: 1, usefulPieces: 3, uniquePieces: 1, requestsWithUniquePieces: 1, contribution: { ...none, considerable: 1 } },
  followUp: { due: 0, given: 0, outstanding: 0, longerTermUsefulness: none },
  criteria: {
    notOtherwiseAvailable: { assessed: 1, withUniquePieces: 1, share: 1, uniquePieces: 1 },
    valueToAssessment: { assessed: 1, considerableOrSignificant: 1, share: 1 },
    proportionateTime: { medianSearchMinutes: 1.4, minutesPerUsefulPiece: 0.5 },
  },
  timeAgainstContribution: [],
  byMonth: [{ month: '2026-12', requests: 6, completed: 1, searchMinutes: 1.4, uniquePieces: 1 }],
  byTeam: [{ team: 'Assessment Team North', requests: 6, completed: 1, searchMinutes: 1.4, uniquePieces: 1, considerableOrSignificant: 1 }],
  survey: { answers: 1, medianEase: 4, medianEffectiveness: 4, ease: [0, 0, 0, 1, 0], effectiveness: [0, 0, 0, 1, 0] },
  teams: ['Assessment Team North'],
};

it('names outcomes and months in full and counts one thing in the singular', async () => {
  stubResizeObserver();
  renderInTab(<EvaluationPage />, { api: stubApi({ get: async <T,>() => figures as T }) });
  await screen.findByText(/1\.4 minutes in 1 timed session;/);
  const outcomes = screen.getByRole('figure', { name: 'Requests by outcome' });
  // The drawing itself, which sighted people read, not only the table behind it.
  const drawn = outcomes.querySelector('[data-chart="bars"]') as HTMLElement;
  expect(within(drawn).getByText('Refused by service director')).toBeTruthy();
  expect(within(drawn).getByText('Lapsed (authorisation expired)')).toBeTruthy();
  const months = screen.getByRole('figure', { name: 'Requests submitted by month' });
  expect(within(months).getByRole('table', { hidden: true }).textContent).toContain('December 2026');
  const teams = screen.getByRole('figure', { name: 'Requests by team' });
  expect(within(teams).getByRole('table', { hidden: true }).textContent).toContain('6 (1 unique piece)');
  expect(screen.getByText(/Survey: 1 answer;/)).toBeTruthy();
});
