/** @jest-environment jsdom */
/**
 * Evidence upload: several files at once, refusal before sending, the attestation,
 * a progress bar per file, and cancel.
 */
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { ApiContext, ApiError, type Api } from '../../tab/src/api';
import { EvidenceUpload } from '../../tab/src/components/EvidenceUpload';
import type { EvidenceItem } from '../../tab/src/types';
import { evidenceItem } from './fixtures';

interface Pending {
  metadata: unknown;
  file: File;
  progress(fraction: number): void;
  resolve(item: EvidenceItem): void;
  reject(error: unknown): void;
  aborted: boolean;
}

function setup(blockedBecause?: string) {
  const uploads: Pending[] = [];
  const api: Api = {
    get: async () => {
      throw new Error('not used');
    },
    send: async () => {
      throw new Error('not used');
    },
    blob: async () => new Blob(),
    upload: <T,>(_path: string, metadata: unknown, file: File, onProgress: (f: number) => void) => {
      let settle: (item: EvidenceItem) => void = () => undefined;
      let fail: (e: unknown) => void = () => undefined;
      const done = new Promise<T>((resolve, reject) => {
        settle = (item) => resolve(item as T);
        fail = reject;
      });
      const entry: Pending = { metadata, file, progress: onProgress, resolve: settle, reject: fail, aborted: false };
      uploads.push(entry);
      return {
        done,
        abort: () => {
          entry.aborted = true;
          fail(new ApiError(0, 'aborted', 'Upload cancelled.'));
        },
      };
    },
  };
  const uploaded = jest.fn();
  render(
    <FluentProvider theme={teamsLightTheme}>
      <ApiContext.Provider value={api}>
        <EvidenceUpload
          requestId="r1"
          subjects={[
            { id: 's1', kind: 'service_user', name: 'Jordan Smith' },
            { id: 's2', kind: 'unknown_associate', description: 'Man with a red van' },
          ]}
          onUploaded={uploaded}
          blockedBecause={blockedBecause}
        />
      </ApiContext.Provider>
    </FluentProvider>,
  );
  return { user: userEvent.setup({ applyAccept: false }), uploads, uploaded };
}

const png = (name: string) => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], name, { type: 'image/png' });

async function describeItem(user: ReturnType<typeof userEvent.setup>, name: string) {
  const item = screen.getByRole('region', { name: `Evidence file ${name}` });
  await user.selectOptions(within(item).getByLabelText(/Person/), 's1');
  await user.type(within(item).getByLabelText(/Source link/), 'https://www.facebook.com/jordan/posts/1');
  await user.type(within(item).getByLabelText(/What it shows/), 'A public post.');
  return item;
}

describe('evidence upload', () => {
  it('takes several files at once and refuses the wrong kind before sending', async () => {
    const { user, uploads } = setup();
    await user.upload(screen.getByLabelText('Evidence files'), [png('one.png'), png('two.png'), new File(['MZ'], 'tool.exe', { type: 'application/x-msdownload' })]);
    expect(screen.getByRole('region', { name: 'Evidence file one.png' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Evidence file two.png' })).toBeTruthy();
    const refused = screen.getByRole('region', { name: 'Evidence file tool.exe' });
    expect(within(refused).getByText(/is not a screenshot, PDF, saved web page or video/)).toBeTruthy();
    expect(within(refused).queryByRole('button', { name: 'Upload' })).toBeNull();
    expect(screen.getByRole('status').textContent).toMatch(/3 files added, 1 cannot be sent/);
    expect(uploads).toHaveLength(0);
    // Removing one moves focus to choosing files rather than the top of the page.
    await user.click(within(refused).getByRole('button', { name: 'Remove tool.exe from the list' }));
    expect(screen.queryByRole('region', { name: 'Evidence file tool.exe' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Choose files' }));
  });

  it('accepts files dropped on the drop zone', () => {
    setup();
    fireEvent.drop(screen.getByTestId('evidence-drop'), { dataTransfer: { files: [png('dropped.png')] } });
    expect(screen.getByRole('region', { name: 'Evidence file dropped.png' })).toBeTruthy();
  });

  it('will not send without the public-visibility attestation', async () => {
    const { user, uploads } = setup();
    await user.upload(screen.getByLabelText('Evidence files'), png('one.png'));
    const item = await describeItem(user, 'one.png');
    await user.click(within(item).getByRole('button', { name: 'Upload' }));
    expect(within(item).getByText(/Only information visible without being a “friend” may be recorded/)).toBeTruthy();
    expect(uploads).toHaveLength(0);
  });

  it('records when the capture was made as a UK date and UK time, whatever the browser’s locale and zone', async () => {
    const { user, uploads } = setup();
    await user.upload(screen.getByLabelText('Evidence files'), png('one.png'));
    const item = await describeItem(user, 'one.png');
    const on = within(item).getByLabelText(/Captured on/);
    // Filled in with today's date in London, as the UK writes it.
    expect((on as HTMLInputElement).value).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    await user.clear(on);
    await user.type(on, '01/07/2026');
    const at = within(item).getByLabelText(/At \(UK time\)/);
    await user.clear(at);
    await user.type(at, '09:00');
    await user.click(within(item).getByLabelText(/I attest this was publicly visible/));
    await user.click(within(item).getByRole('button', { name: 'Upload' }));
    // 09:00 in London on 1 July is 08:00 UTC (British Summer Time), not 1 July read as 7 January.
    expect(uploads[0]?.metadata).toMatchObject({ capturedAt: '2026-07-01T08:00:00.000Z' });
  });

  it('refuses a capture time that is not one, naming the field', async () => {
    const { user, uploads } = setup();
    await user.upload(screen.getByLabelText('Evidence files'), png('one.png'));
    const item = await describeItem(user, 'one.png');
    const on = within(item).getByLabelText(/Captured on/);
    await user.clear(on);
    await user.type(on, '31/02/2026');
    await user.click(within(item).getByLabelText(/I attest this was publicly visible/));
    await user.click(within(item).getByRole('button', { name: 'Upload' }));
    expect(within(item).getByText(/Give the date as dd\/mm\/yyyy and the time as hh:mm, UK time/)).toBeTruthy();
    expect(uploads).toHaveLength(0);
  });

  it('shows progress for each file and can cancel one', async () => {
    const { user, uploads, uploaded } = setup();
    await user.upload(screen.getByLabelText('Evidence files'), [png('one.png'), png('two.png')]);
    for (const name of ['one.png', 'two.png']) {
      const item = await describeItem(user, name);
      await user.click(within(item).getByLabelText(/I attest this was publicly visible/));
      await user.click(within(item).getByRole('button', { name: 'Upload' }));
    }
    expect(uploads).toHaveLength(2);
    expect(uploads[0]?.metadata).toMatchObject({ subjectId: 's1', publiclyVisible: true, sourceUrl: 'https://www.facebook.com/jordan/posts/1' });

    act(() => uploads[0]?.progress(0.4));
    act(() => uploads[1]?.progress(0.1));
    const bar1 = screen.getByRole('progressbar', { name: 'Upload progress for one.png' });
    const bar2 = screen.getByRole('progressbar', { name: 'Upload progress for two.png' });
    expect(bar1.getAttribute('aria-valuetext')).toBe('40%');
    expect(bar2.getAttribute('aria-valuetext')).toBe('10%');

    const second = screen.getByRole('region', { name: 'Evidence file two.png' });
    await user.click(within(second).getByRole('button', { name: 'Cancel upload' }));
    expect(uploads[1]?.aborted).toBe(true);
    expect(await within(second).findByText('Upload cancelled.')).toBeTruthy();
    // The Cancel button that had focus is gone: focus is on the file's section, not the page.
    await waitFor(() => expect(document.activeElement).toBe(second));
    expect(within(second).getByRole('button', { name: 'Upload again' })).toBeTruthy();

    await act(async () => uploads[0]?.resolve(evidenceItem({ size: 4, sha256: 'ab'.repeat(32) })));
    expect(await screen.findByText(/Uploaded\. SHA-256 abababab/)).toBeTruthy();
    expect(uploaded).toHaveBeenCalledTimes(1);
  });

  it('stays disabled, saying why, until a search session has started', async () => {
    const { user, uploads } = setup('Start a search session above before you add evidence.');
    expect(screen.getByText('Start a search session above before you add evidence.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Choose files' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByLabelText('Evidence files') as HTMLInputElement).disabled).toBe(true);
    fireEvent.drop(screen.getByTestId('evidence-drop'), { dataTransfer: { files: [png('dropped.png')] } });
    expect(screen.queryByRole('region', { name: 'Evidence file dropped.png' })).toBeNull();
    await user.upload(screen.getByLabelText('Evidence files'), png('one.png'));
    expect(uploads).toHaveLength(0);
  });

  it('shows a refusal by the server as an error message beside the file, with the server’s reason', async () => {
    const { user, uploads } = setup();
    await user.upload(screen.getByLabelText('Evidence files'), png('one.png'));
    const item = await describeItem(user, 'one.png');
    await user.click(within(item).getByLabelText(/I attest this was publicly visible/));
    await user.click(within(item).getByRole('button', { name: 'Upload' }));
    await act(async () => uploads[0]?.reject(new ApiError(403, 'outside_scope', 'This person is outside the authorised scope.')));
    expect(await within(item).findByText('Not uploaded')).toBeTruthy();
    expect(within(item).getByText('This person is outside the authorised scope.')).toBeTruthy();
    expect(within(item).getByRole('button', { name: 'Upload again' })).toBeTruthy();
  });
});
