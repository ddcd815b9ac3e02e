/** @jest-environment jsdom */
/**
 * The evaluation's period: a date that is not one is named beside its field (marked invalid and
 * described by the message), and nothing is asked of the server; before, the figures vanished
 * behind a page-wide "Some answers need attention" with no field marked.
 */
import { screen } from '@testing-library/react';
import EvaluationPage from '../../tab/src/pages/EvaluationPage';
import { renderInTab, stubApi, stubResizeObserver } from './fixtures';

beforeAll(stubResizeObserver);

function show(paths: string[]) {
  const api = stubApi({
    get: async <T,>(path: string): Promise<T> => {
      paths.push(path);
      throw new Error('no figures in this test');
    },
  });
  return renderInTab(<EvaluationPage />, { api }).user;
}

test('an impossible date is refused beside its field, and the server is not asked', async () => {
  const paths: string[] = [];
  const user = show(paths);
  await screen.findByRole('button', { name: /Try again/ });
  const asked = paths.length;
  const from = screen.getByLabelText('From');
  await user.clear(from);
  await user.type(from, '31/02/2026');
  await user.click(screen.getByRole('button', { name: 'Show figures' }));
  expect(from.getAttribute('aria-invalid')).toBe('true');
  const message = screen.getByText('Give a real date as dd/mm/yyyy, for example 01/04/2026.');
  expect(from.getAttribute('aria-describedby')?.split(' ')).toContain(message.id);
  expect(paths).toHaveLength(asked);
});

test('a period that ends before it starts is refused on its end', async () => {
  const paths: string[] = [];
  const user = show(paths);
  await screen.findByRole('button', { name: /Try again/ });
  const from = screen.getByLabelText('From');
  const to = screen.getByLabelText('To');
  await user.clear(from);
  await user.type(from, '01/09/2026');
  await user.clear(to);
  await user.type(to, '01/08/2026');
  await user.click(screen.getByRole('button', { name: 'Show figures' }));
  expect(to.getAttribute('aria-invalid')).toBe('true');
  expect(screen.getByText('The end of the period must not be before its start.')).toBeTruthy();
});
