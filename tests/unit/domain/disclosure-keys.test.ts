/** The keys a disclosure search looks up: every request whose people match a query shares a key with it. */
import { disclosureKeys, disclosureQueryKeys, matchingSubjects } from '../../../src/domain/disclosure';
import { fullRequest } from '../../support/store-fixtures';

describe('disclosure keys', () => {
  const request = fullRequest();
  request.form = {
    ...request.form,
    subjects: [{ id: 's-1', kind: 'service_user', name: 'Zoë  O’Neill', otherNames: 'Zoe Smith; Z. Neill', dateOfBirth: '1990-01-01', profileUrl: 'https://www.facebook.com/zoe.oneill/' }],
  };
  request.log = request.log ? { ...request.log, findings: [{ ...request.log.findings[0]!, subjectId: 's-1', profileUrl: 'https://m.facebook.com/zoe.second' }] } : null;

  test('names are kept normalised, other names too, and profile links of subjects and findings', () => {
    expect(disclosureKeys(request).sort()).toEqual(['link:facebook.com/zoe.oneill', 'link:facebook.com/zoe.second', 'name:z neill', 'name:zoe o neill', 'name:zoe smith'].sort());
  });

  test('a query written differently finds the request, and its subjects match', () => {
    for (const query of [{ name: 'zoe o neill' }, { name: 'ZOE SMITH', dateOfBirth: '1990-01-01' }, { name: 'Someone Else', profileLink: 'https://facebook.com/zoe.second' }]) {
      const keys = disclosureQueryKeys(query);
      expect(keys.some((k) => disclosureKeys(request).includes(k))).toBe(true);
      expect(matchingSubjects(request, query)).toEqual(['s-1']);
    }
    expect(disclosureQueryKeys({ name: '!!' })).toEqual([]);
  });
});
