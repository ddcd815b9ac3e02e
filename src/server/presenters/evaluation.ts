/**
 * The pilot's figures, settings and disclosures as the API answers them. The figures are built
 * from the store's tallies: each field is named here, so nothing the store adds to a tally (a
 * request id, a name) reaches the dashboard unless this says so.
 */
import type { Disclosure, Evaluation, PilotSettingsView } from '../../contracts/evaluation';
import type { Distribution } from '../../domain/evaluation';
import type { Contribution } from '../../domain/forms';
import type { getEvaluation } from '../../app/evaluation/get-figures';
import type { getPilotSettings } from '../../app/pilot/pilot-settings';
import type { searchDisclosure } from '../../app/disclosures/search-disclosure';

type Figures = Awaited<ReturnType<typeof getEvaluation>>;

const distribution = (d: Distribution) => ({ count: d.count, median: d.median, min: d.min, max: d.max });
const byContribution = (c: Record<Contribution, number>) => ({ little: c.little, some: c.some, considerable: c.considerable, significant: c.significant });

export function presentEvaluation(f: Figures): Evaluation {
  const { counts } = f.outcomes;
  const { notOtherwiseAvailable: nota, valueToAssessment: vta, proportionateTime: pt } = f.criteria;
  return {
    period: { from: f.period.from, to: f.period.to },
    team: f.team,
    uses: {
      requests: f.uses.requests,
      byTeam: f.uses.byTeam.map((t) => ({ team: t.team, requests: t.requests })),
      byAccessWorker: f.uses.byAccessWorker.map((w) => ({ accessWorkerId: w.accessWorkerId, displayName: w.displayName, requests: w.requests, searchMinutes: w.searchMinutes })),
    },
    outcomes: {
      counts: { open: counts.open, shared: counts.shared, declined: counts.declined, refused: counts.refused, withdrawn: counts.withdrawn, cancelled: counts.cancelled, lapsed: counts.lapsed },
      notProceeding: f.outcomes.notProceeding.map((n) => ({
        outcome: n.outcome,
        requests: n.requests,
        reasons: n.reasons.map((r) => ({ reason: r.reason, requests: r.requests })),
        otherReasons: n.otherReasons,
      })),
    },
    time: {
      totalSearchMinutes: f.time.totalSearchMinutes,
      sessions: f.time.sessions,
      perRequestMinutes: distribution(f.time.perRequestMinutes),
      buckets: f.time.buckets.map((b) => ({ label: b.label, requests: b.requests })),
    },
    turnaround: f.turnaround.map((t) => ({ from: t.from, to: t.to, ...distribution(t) })),
    value: {
      assessed: f.value.assessed,
      usefulPieces: f.value.usefulPieces,
      uniquePieces: f.value.uniquePieces,
      requestsWithUniquePieces: f.value.requestsWithUniquePieces,
      contribution: byContribution(f.value.contribution),
    },
    followUp: { due: f.followUp.due, given: f.followUp.given, outstanding: f.followUp.outstanding, longerTermUsefulness: byContribution(f.followUp.longerTermUsefulness) },
    criteria: {
      notOtherwiseAvailable: { assessed: nota.assessed, withUniquePieces: nota.withUniquePieces, share: nota.share, uniquePieces: nota.uniquePieces },
      valueToAssessment: { assessed: vta.assessed, considerableOrSignificant: vta.considerableOrSignificant, share: vta.share },
      proportionateTime: { medianSearchMinutes: pt.medianSearchMinutes, minutesPerUsefulPiece: pt.minutesPerUsefulPiece },
    },
    timeAgainstContribution: f.timeAgainstContribution.map((t) => ({ contribution: t.contribution, requests: t.requests, medianSearchMinutes: t.medianSearchMinutes })),
    byMonth: f.byMonth.map((m) => ({ month: m.month, requests: m.requests, completed: m.completed, searchMinutes: m.searchMinutes, uniquePieces: m.uniquePieces })),
    byTeam: f.byTeam.map((t) => ({
      team: t.team,
      requests: t.requests,
      completed: t.completed,
      searchMinutes: t.searchMinutes,
      uniquePieces: t.uniquePieces,
      considerableOrSignificant: t.considerableOrSignificant,
    })),
    survey: {
      answers: f.survey.answers,
      medianEase: f.survey.medianEase,
      medianEffectiveness: f.survey.medianEffectiveness,
      ease: [...f.survey.ease],
      effectiveness: [...f.survey.effectiveness],
    },
    teams: [...f.teams],
  };
}

export function presentPilotSettings(s: Awaited<ReturnType<typeof getPilotSettings>>): PilotSettingsView {
  return { startDate: s.startDate, lengthMonths: s.lengthMonths, platforms: [...s.platforms], registerSize: s.registerSize, endDate: s.endDate };
}

export function presentDisclosure(d: Awaited<ReturnType<typeof searchDisclosure>>): Disclosure {
  return { id: d.id, requestedAt: d.requestedAt, requests: d.requests.map((r) => ({ id: r.id, reference: r.reference })) };
}
