/** How a person is recognised across requests, and how far back a check counts. */
import { earlierChecks, normaliseProfileLink, repeatWindowStart, subjectKeys } from '../../../src/domain/repeat-checks';

test('a profile link reads the same however it was typed', () => {
  const same = ['https://www.facebook.com/jane.doe', 'https://m.facebook.com/Jane.Doe/', 'http://facebook.com/jane.doe?ref=bookmarks#about', 'https://fb.com/jane.doe'];
  expect(new Set(same.map(normaliseProfileLink))).toEqual(new Set(['facebook.com/jane.doe']));
  expect(normaliseProfileLink('https://www.facebook.com/profile.php?id=1000123&sk=photos')).toBe('facebook.com/profile.php?id=1000123');
  expect(normaliseProfileLink('https://www.facebook.com/profile.php?id=1000124')).not.toBe(normaliseProfileLink('https://www.facebook.com/profile.php?id=1000123'));
  expect(normaliseProfileLink('not a link')).toBeNull();
});

test('a name with a date of birth is a key; a name alone is not', () => {
  expect(subjectKeys({ id: 'a', name: 'Zoë  O’Brien', dateOfBirth: '1/2/1990' })).toEqual([{ subjectId: 'a', key: 'person:zoe o brien|1990-02-01' }]);
  expect(subjectKeys({ id: 'a', name: 'ZOE O BRIEN', dateOfBirth: '1990-02-01' })).toEqual([{ subjectId: 'a', key: 'person:zoe o brien|1990-02-01' }]);
  expect(subjectKeys({ id: 'b', name: 'Jane Doe' })).toEqual([]);
});

test('the window reaches back 12 calendar months to the instant', () => {
  expect(repeatWindowStart(new Date('2026-12-10T10:00:00.000Z')).toISOString()).toBe('2025-12-10T10:00:00.000Z');
  expect(repeatWindowStart(new Date('2028-02-29T08:00:00.000Z')).toISOString()).toBe('2027-02-28T08:00:00.000Z');
  const checkedAt = '2026-01-12T10:00:00.000Z';
  const elevenMonthsOn = new Date('2026-12-12T10:00:00.000Z');
  const thirteenMonthsOn = new Date('2027-02-12T10:00:00.000Z');
  expect(repeatWindowStart(elevenMonthsOn).toISOString() <= checkedAt).toBe(true);
  expect(repeatWindowStart(thirteenMonthsOn).toISOString() <= checkedAt).toBe(false);
});

test('one entry per person and earlier request, the profile link preferred, and never the request itself', () => {
  const request = { id: 'now', form: { subjects: [{ id: 's1', kind: 'service_user' as const, name: 'Jane Doe', dateOfBirth: '1990-02-01', profileUrl: 'https://facebook.com/jane.doe' }] } } as never;
  const match = (requestId: string, key: string, authorisedAt: string) => ({ requestId, reference: `R-${requestId}`, key, authorisedAt });
  expect(
    earlierChecks(request, [
      match('old', 'person:jane doe|1990-02-01', '2026-01-01T00:00:00.000Z'),
      match('old', 'profile:facebook.com/jane.doe', '2026-01-01T00:00:00.000Z'),
      match('newer', 'person:jane doe|1990-02-01', '2026-05-01T00:00:00.000Z'),
      match('now', 'profile:facebook.com/jane.doe', '2026-06-01T00:00:00.000Z'),
    ]),
  ).toEqual([
    { subjectId: 's1', requestId: 'newer', reference: 'R-newer', authorisedAt: '2026-05-01T00:00:00.000Z', matchedBy: 'name_and_date_of_birth' },
    { subjectId: 's1', requestId: 'old', reference: 'R-old', authorisedAt: '2026-01-01T00:00:00.000Z', matchedBy: 'profile_link' },
  ]);
});
