/**
 * The Investigation Log: the access worker records findings while searching; the originating
 * worker adds the assessment before finalising. The policy's `write-log` says which of them may
 * write now; neither may change the other's part.
 */
import { AppError, forbidden } from '../../domain/errors';
import { investigationLogSchema, parseForm, type InvestigationLog } from '../../domain/forms';
import { assertSubjectInScope } from '../../domain/workflow';
import type { AppDeps } from '../deps';
import { throughGate } from '../gate';
import type { Caller } from '../ports';
import { assertPilotPlatform } from '../../domain/protocol';
import { platformsInScope } from '../pilot/pilot-settings';
import { auditEvent } from './shared';
import { toView } from './view';

export async function saveLog(deps: AppDeps, caller: Caller, requestId: string, input: unknown) {
  const log = parseForm(investigationLogSchema, input);
  const now = deps.clock.now();
  const saved = await throughGate(deps, caller, 'write-log', requestId, async (gate) => {
    const platforms = await platformsInScope(deps);
    log.findings.forEach((f, i) => assertPilotPlatform(f.profileUrl, `findings.${i}.profileUrl`, platforms));
    return deps.store.transaction(async (uow) => {
      const { request, part } = await gate.load(uow, { lock: true });
      let next: InvestigationLog;
      if (part === 'access_worker') {
        log.findings.forEach((f, i) => assertSubjectInScope(request, f.subjectId, `findings.${i}.subjectId`));
        if (log.assessment) throw forbidden('The assessment is the originating social worker’s to write.');
        next = { ...log };
      } else {
        if (!log.assessment) throw new AppError('validation', 'Some answers need attention.', { assessment: 'Record your assessment of the information.' });
        const stored: InvestigationLog = request.log ?? { findings: [], furtherPersons: [], accessWorkerComments: undefined };
        if (log.findings.length > 0 && JSON.stringify(log.findings) !== JSON.stringify(stored.findings)) {
          throw forbidden('Only the access worker records findings: send the assessment only.');
        }
        next = { ...stored, assessment: log.assessment };
      }
      const updated = { ...request, log: next, updatedAt: now.toISOString() };
      // The log is content, not a state change: the version is kept so a screen open on it stays valid.
      await uow.requests.update(updated, request);
      await auditEvent(uow, caller, request, 'save_log', part, now, { findings: next.findings.length, furtherPersons: next.furtherPersons.length, assessment: Boolean(next.assessment) });
      return updated;
    });
  });
  return toView(saved, caller.person, now, deps.directory, deps.settings.protocol, deps.settings.retention);
}
