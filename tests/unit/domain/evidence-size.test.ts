/** One setting (MAX_EVIDENCE_MB) and one unit (MB of 1024 × 1024 bytes) for the evidence size limit, everywhere. */
import { Readable } from 'node:stream';
import { DEFAULT_MAX_EVIDENCE_MB, describeEvidenceLimit, evidenceLimitBytes } from '../../../src/domain/evidence-size';
import { checkedUpload, DEFAULT_MAX_EVIDENCE_BYTES } from '../../../src/evidence';
import { loadConfig } from '../../../src/server/config';
import { fileProblem, MAX_EVIDENCE_BYTES } from '../../../tab/src/evidenceRules';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function drain(stream: Readable): Promise<void> {
  for await (const _chunk of stream as AsyncIterable<Buffer>) void _chunk;
}

describe('the evidence size limit', () => {
  it('is 250 MB of 1024 × 1024 bytes by default, for the server, the evidence store and the tab', () => {
    expect(DEFAULT_MAX_EVIDENCE_MB).toBe(250);
    expect(DEFAULT_MAX_EVIDENCE_BYTES).toBe(250 * 1024 * 1024);
    expect(MAX_EVIDENCE_BYTES).toBe(DEFAULT_MAX_EVIDENCE_BYTES);
    const config = loadConfig({});
    expect(config.maxEvidenceBytes).toBe(DEFAULT_MAX_EVIDENCE_BYTES);
    expect(config.evidence.maxBytes).toBe(DEFAULT_MAX_EVIDENCE_BYTES);
  });

  it('MAX_EVIDENCE_MB sets the HTTP check and the evidence store to the same number of bytes', () => {
    const config = loadConfig({ MAX_EVIDENCE_MB: '3' });
    expect(config.maxEvidenceBytes).toBe(3 * 1024 * 1024);
    expect(config.evidence.maxBytes).toBe(3 * 1024 * 1024);
  });

  it('is named in the refusal in the unit it was set in', async () => {
    const limit = evidenceLimitBytes(1);
    const upload = checkedUpload(Readable.from([PNG_SIGNATURE, Buffer.alloc(limit)]), { maxBytes: limit }).then((checked) => drain(checked.content));
    await expect(upload).rejects.toMatchObject({ code: 'too_large', message: 'The file is larger than the 1 MB limit.' });
    expect(describeEvidenceLimit(DEFAULT_MAX_EVIDENCE_BYTES)).toBe('250 MB');
    expect(fileProblem({ name: 'a.png', type: 'image/png', size: MAX_EVIDENCE_BYTES + 1 })).toBe('a.png is larger than 250 MB.');
  });
});
