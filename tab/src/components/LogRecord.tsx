/**
 * The Investigation Log as a record, for everyone who may see the request — the team manager,
 * service manager and service director it is shared with above all, and the originating worker
 * while the search is under way (the protocol asks the two workers to work together): the search
 * sessions with their times, the findings per person, the evidence, the assessment, doubts raised
 * and how they were settled, with whom the log was shared, and its placement on the case record.
 */
import { makeStyles, tokens } from '@fluentui/react-components';
import { formatDateTime } from '../../../src/domain/dates';
import { useApi } from '../api';
import type { ApiRequest, EvidenceItem, SearchSession } from '../types';
import { duration, personName } from '../format';
import { ErrorState, Loading, SectionHeading, useLoad } from './common';
import { Card, Details, subjectName } from './details';
import { EvidenceList } from './Evidence';

const useStyles = makeStyles({
  plain: { listStyleType: 'none', margin: 0, padding: 0, overflowWrap: 'anywhere' },
  meta: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  person: { marginBottom: tokens.spacingVerticalM },
});

export const VISIBILITY_LABELS = { public: 'Public profile', restricted: 'Restricted profile', not_found: 'No profile found' } as const;
const CONTRIBUTION_LABELS = { little: 'Little', some: 'Some', considerable: 'Considerable', significant: 'Significant' } as const;

export function LogRecord({ request: r, refreshKey = 0 }: { request: ApiRequest; refreshKey?: number }) {
  const styles = useStyles();
  const api = useApi();
  const path = `/api/requests/${encodeURIComponent(r.id)}`;
  const sessions = useLoad(() => api.get<SearchSession[]>(`${path}/search-sessions`), `log-sessions-${r.id}-${r.version}-${refreshKey}`);
  const evidence = useLoad(() => api.get<EvidenceItem[]>(`${path}/evidence`), `log-evidence-${r.id}-${r.version}-${refreshKey}`);
  const scope = r.authorisation?.scope;
  const inScope = r.subjects.filter((s) => scope?.subjectIds.includes(s.id));
  const log = r.log;
  const underWay = ['assigned', 'searching', 'on_hold'].includes(r.state);

  return (
    <Card labelledBy="log-record">
      <SectionHeading id="log-record">Investigation Log</SectionHeading>
      {underWay && <p className={styles.meta}>The search is under way: what the access worker records appears here as it is saved.</p>}

      <h3>Search sessions</h3>
      {sessions.status === 'loading' && <Loading label="Loading the search sessions…" />}
      {sessions.status === 'error' && <ErrorState error={sessions.error} onRetry={sessions.reload} title="The search sessions could not be loaded" />}
      {sessions.status === 'ready' &&
        (sessions.data.length === 0 ? (
          <p>No search session has been held.</p>
        ) : (
          <>
            <ul className={styles.plain} aria-label="Search sessions">
              {sessions.data.map((s) => (
                <li key={s.id}>
                  {formatDateTime(s.startedAt)} – {s.endedAt ? `${formatDateTime(s.endedAt)} (${duration(s.durationSeconds ?? 0)})` : 'running'}
                  {s.subjectIds.length > 0
                    ? ` · searched: ${s.subjectIds.map((id) => subjectName(r.subjects.find((x) => x.id === id) ?? { id, kind: 'unknown_associate', description: 'a person no longer on the request' }, 80)).join(', ')}`
                    : ' · people searched not recorded'}
                  {s.corporateAccount ? ' · corporate account confirmed by the access worker' : ' · corporate account not confirmed for this session'}
                </li>
              ))}
            </ul>
            <p className={styles.meta}>Total time searching: {duration(sessions.data.reduce((sum, s) => sum + (s.durationSeconds ?? 0), 0))}</p>
          </>
        ))}

      <h3>Findings per person</h3>
      {inScope.length === 0 && <p>No one is in the authorised scope.</p>}
      {inScope.map((s) => {
        const f = log?.findings.find((x) => x.subjectId === s.id);
        return (
          <div key={s.id} className={styles.person}>
            <h4>{subjectName(s, 200)}</h4>
            {f ? (
              <Details
                rows={[
                  ['Profile', VISIBILITY_LABELS[f.visibility]],
                  ['Link', f.profileUrl],
                  ['What was seen', f.summary],
                ]}
              />
            ) : (
              <p>Nothing recorded yet.</p>
            )}
          </div>
        );
      })}
      {log && log.furtherPersons.length > 0 && (
        <>
          <h3>Further people identified</h3>
          <ul>
            {log.furtherPersons.map((p, i) => (
              <li key={i}>{p.description}</li>
            ))}
          </ul>
        </>
      )}
      {log?.accessWorkerComments && <Details rows={[['Access worker’s comments', log.accessWorkerComments]]} />}

      <h3>Evidence</h3>
      {evidence.status === 'loading' && <Loading label="Loading the evidence…" />}
      {evidence.status === 'error' && <ErrorState error={evidence.error} onRetry={evidence.reload} title="The evidence could not be loaded" />}
      {evidence.status === 'ready' && <EvidenceList items={evidence.data} requestId={r.id} subjects={r.subjects} people={r.people} />}

      <h3>Assessment</h3>
      {log?.assessment ? (
        <Details
          rows={[
            ['What the information adds', log.assessment.summary],
            ['Useful pieces of information', String(log.assessment.usefulPieces)],
            ['Pieces not otherwise available', String(log.assessment.uniquePieces)],
            ['Contribution', CONTRIBUTION_LABELS[log.assessment.contribution]],
            ['Actions taken', log.assessment.actionsTaken],
          ]}
        />
      ) : (
        <p>The originating worker has not recorded an assessment yet.</p>
      )}

      {(r.doubts ?? []).length > 0 && (
        <>
          <h3>Doubts and disagreement</h3>
          {(r.doubts ?? []).map((d, i) => (
            <Details
              key={i}
              rows={[
                [`Raised by the ${d.raisedAs === 'access_worker' ? 'access worker' : 'originating worker'}`, `${personName(r.people, d.raisedBy)}, ${formatDateTime(d.raisedAt)}: ${d.reason}`],
                ['Service manager’s view', d.serviceManagerView ? `${personName(r.people, d.serviceManagerView.by)}, ${formatDateTime(d.serviceManagerView.at)}: ${d.serviceManagerView.note}` : 'Not yet recorded'],
                [
                  'Service director’s decision',
                  d.resolution
                    ? `${d.resolution.outcome === 'resume' ? 'Resume' : 'Cancel'} — ${personName(r.people, d.resolution.by)}, ${formatDateTime(d.resolution.at)}: ${d.resolution.note}`
                    : 'Not yet decided',
                ],
              ]}
            />
          ))}
        </>
      )}

      <h3>Shared with</h3>
      {(r.sharedWith ?? []).length > 0 ? (
        <ul className={styles.plain}>
          {(r.sharedWith ?? []).map((s) => (
            <li key={s.personId}>
              {personName(r.people, s.personId)}, {formatDateTime(s.at)}
            </li>
          ))}
        </ul>
      ) : (
        <p>Not yet shared.</p>
      )}
      {r.caseRecordPlacement && (
        <p>
          Placed on the case record by {personName(r.people, r.caseRecordPlacement.by)} on {formatDateTime(r.caseRecordPlacement.at)}.
        </p>
      )}
    </Card>
  );
}
