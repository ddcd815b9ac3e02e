/** The retention rules on their own: the date counted from closure, and who may dispose of what when. */
import { addMonths } from '../../../src/domain/dates';
import { DEFAULT_RETENTION_SETTINGS, disposalBarrier, emptyRetentionRecord, parseRetentionSchedule, retainUntil, retentionView } from '../../../src/domain/retention';

const closed = { state: 'declined' as const, closedAt: '2026-01-31T23:30:00Z' };

test('the date counts from closure in London, and a day the month lacks becomes its last', () => {
  expect(addMonths('2026-01-31T10:00:00Z', 1)).toBe('2026-02-28');
  // 23:30 UTC on 31 January is still 31 January in London (GMT); in summer 23:30 UTC is the next day.
  expect(retainUntil(closed, DEFAULT_RETENTION_SETTINGS.schedule)).toBe('2028-01-31');
  expect(retainUntil({ state: 'shared', closedAt: '2026-06-30T23:30:00Z' }, DEFAULT_RETENTION_SETTINGS.schedule)).toBe('2032-07-01');
  expect(retainUntil({ state: 'searching', closedAt: null }, DEFAULT_RETENTION_SETTINGS.schedule)).toBeNull();
});

test('nothing early, nothing under hold, never by the person who proposed', () => {
  const record = emptyRetentionRecord('r1');
  const proposal = { by: 'grace.lee', at: '2028-02-01T09:00:00Z', note: null };
  const view = (r = record, today = '2028-02-01') => retentionView(closed, r, DEFAULT_RETENTION_SETTINGS, today);
  expect(disposalBarrier(view(record, '2028-01-30'), 'sarah.mitchell', '2028-01-30')).toContain('must be kept until 2028-01-31');
  expect(disposalBarrier(view(), 'sarah.mitchell', '2028-02-01')).toContain('propose the disposal first');
  expect(disposalBarrier(view({ ...record, proposal }), 'grace.lee', '2028-02-01')).toContain('cannot also confirm');
  expect(disposalBarrier(view({ ...record, proposal, legalHold: { by: 'sarah.mitchell', at: '2028-02-01T10:00:00Z', reason: 'Claim' } }), 'sarah.mitchell', '2028-02-01')).toContain('legal hold');
  expect(disposalBarrier(view({ ...record, proposal }), 'sarah.mitchell', '2028-02-01')).toBeNull();
});

test('the schedule setting names states and months; anything else is refused', () => {
  expect(parseRetentionSchedule('shared=84, expired=12')).toEqual({ ...DEFAULT_RETENTION_SETTINGS.schedule, shared: 84, expired: 12 });
  expect(() => parseRetentionSchedule('open=12')).toThrow('state=months');
  expect(() => parseRetentionSchedule('shared=0')).toThrow('from 1 to 1200');
});
