/** @jest-environment jsdom */
/** The register's size is edited in one place, the pilot settings, and the register follows a save there. */
import { screen, waitFor } from '@testing-library/react';
import AdminPage from '../../tab/src/pages/AdminPage';
import type { DirectoryView, OperationsView, PilotSettingsView, RegisterView } from '../../tab/src/types';
import { renderInTab, signedIn, stubApi, stubResizeObserver } from './fixtures';

it('offers one field for the number of access workers on the register, and shows the saved number', async () => {
  stubResizeObserver();
  let size = 6;
  const settings = (): PilotSettingsView => ({ startDate: '2026-09-01', lengthMonths: 6, platforms: ['facebook'], registerSize: size, endDate: '2027-02-28' });
  const answers: Record<string, () => unknown> = {
    '/api/admin/directory': (): DirectoryView => ({ people: [], lastSync: null, lastSucceeded: null, failuresSinceLastSuccess: 0 }),
    '/api/admin/register': (): RegisterView => ({ limit: size, authorised: 2, entries: [] }),
    '/api/admin/operations': (): OperationsView => ({ failedNotifications: [], pendingUploads: [] }),
    '/api/pilot/settings': settings,
  };
  const api = stubApi({
    get: async <T,>(path: string) => answers[path]?.() as T,
    send: async <T,>(_method: string, _path: string, body?: unknown) => {
      size = (body as PilotSettingsView).registerSize;
      return settings() as T;
    },
  });
  const { user } = renderInTab(<AdminPage />, { api, me: signedIn('ada', 'Ada Admin', ['administrator']) });
  const field = await screen.findByLabelText(/Access workers on the register at most/);
  await screen.findByText(/2 of 6 places on the register are taken/);
  expect(screen.queryByLabelText(/Register limit/)).toBeNull();
  expect(screen.queryByRole('button', { name: /Save limit/ })).toBeNull();
  await user.clear(field);
  await user.type(field, '8');
  await user.click(screen.getByRole('button', { name: 'Save pilot settings' }));
  await waitFor(() => expect(screen.getByText(/2 of 8 places on the register are taken/)).toBeTruthy());
});
