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

  test('names in any script are found, and letters typed without their accent', () => {
    const people = fullRequest();
    people.form = {
      ...people.form,
      subjects: [
        { id: 's-ar', kind: 'service_user', name: 'محمد علي' },
        { id: 's-ru', kind: 'family_member', name: 'Иван Петров' },
        { id: 's-pl', kind: 'known_associate', name: 'Łukasz Żółć' },
      ],
    };
    for (const [name, id] of [['محمد علي', 's-ar'], ['иван  петров', 's-ru'], ['Łukasz Żółć', 's-pl'], ['Lukasz Zolc', 's-pl']] as const) {
      expect(disclosureQueryKeys({ name }).some((k) => disclosureKeys(people).includes(k))).toBe(true);
      expect(matchingSubjects(people, { name })).toEqual([id]);
    }
  });

  test('a date of birth typed the UK way is a date: another date is another person', () => {
    const dated = fullRequest();
    dated.form = { ...dated.form, subjects: [{ id: 's-zq', kind: 'service_user', name: 'Zelda Quist', dateOfBirth: '01/01/1990' }] };
    expect(matchingSubjects(dated, { name: 'Zelda Quist', dateOfBirth: '1991-02-02' })).toEqual([]);
    expect(matchingSubjects(dated, { name: 'Zelda Quist', dateOfBirth: '1990-01-01' })).toEqual(['s-zq']);
    // An age is not a date: it conflicts with no date of birth.
    dated.form = { ...dated.form, subjects: [{ id: 's-zq', kind: 'service_user', name: 'Zelda Quist', dateOfBirth: 'about 35' }] };
    expect(matchingSubjects(dated, { name: 'Zelda Quist', dateOfBirth: '1991-02-02' })).toEqual(['s-zq']);
  });
});
