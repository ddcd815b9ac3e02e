/**
 * Integrity check: re-reads every stored evidence item through the evidence store and compares
 * its SHA-256 with the one recorded when it was received.
 */
import { createHash } from 'node:crypto';
import type { EvidenceItem, EvidenceStore } from '../app/ports';

export type ItemCheck =
  | { item: EvidenceItem; outcome: 'ok' }
  | { item: EvidenceItem; outcome: 'mismatch'; actualSha256: string; actualSize: number }
  | { item: EvidenceItem; outcome: 'unreadable'; error: string };

export interface VerifySummary {
  checked: number;
  ok: number;
  mismatched: ItemCheck[];
  unreadable: ItemCheck[];
  bytes: number;
}

export async function verifyEvidence(
  items: EvidenceItem[],
  store: EvidenceStore,
  onItem: (check: ItemCheck, index: number, total: number) => void = () => undefined,
): Promise<VerifySummary> {
  const summary: VerifySummary = { checked: 0, ok: 0, mismatched: [], unreadable: [], bytes: 0 };
  for (const [index, item] of items.entries()) {
    const check = await checkItem(item, store);
    summary.checked += 1;
    if (check.outcome === 'ok') {
      summary.ok += 1;
      summary.bytes += item.size;
    } else if (check.outcome === 'mismatch') {
      summary.mismatched.push(check);
    } else {
      summary.unreadable.push(check);
    }
    onItem(check, index, items.length);
  }
  return summary;
}

async function checkItem(item: EvidenceItem, store: EvidenceStore): Promise<ItemCheck> {
  try {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of (await store.get(item.storageKey)) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    const actualSha256 = hash.digest('hex');
    return actualSha256 === item.sha256 && size === item.size ? { item, outcome: 'ok' } : { item, outcome: 'mismatch', actualSha256, actualSize: size };
  } catch (error) {
    return { item, outcome: 'unreadable', error: error instanceof Error ? error.message : String(error) };
  }
}

/** Checks every item, writing a line per item and a summary; returns the exit code (0 intact, 1 otherwise). */
export async function reportEvidenceIntegrity(items: EvidenceItem[], store: EvidenceStore, log: (line: string) => void): Promise<number> {
  const summary = await verifyEvidence(items, store, (check, index, total) => {
    const where = `[${index + 1}/${total}] ${check.item.id} (${check.item.fileName})`;
    if (check.outcome === 'ok') log(`${where} ok`);
    else if (check.outcome === 'mismatch') {
      log(`${where} MISMATCH: expected ${check.item.sha256} (${check.item.size} bytes), found ${check.actualSha256} (${check.actualSize} bytes)`);
    } else log(`${where} UNREADABLE: ${check.error}`);
  });
  log(
    `${summary.checked} checked, ${summary.ok} intact (${(summary.bytes / 1e6).toFixed(1)} MB), ${summary.mismatched.length} mismatched, ${summary.unreadable.length} unreadable.`,
  );
  return summary.mismatched.length + summary.unreadable.length ? 1 : 0;
}
