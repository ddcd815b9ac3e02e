import type { WorkflowSettings } from '../domain/workflow';
import type { Clock, EvidenceStore, Store } from './ports';

export interface AppSettings {
  workflow: WorkflowSettings;
  /** Largest evidence file accepted, in bytes. */
  maxEvidenceBytes: number;
}

/** What every use case is given: its ports and settings, never a framework. */
export interface AppDeps {
  store: Store;
  evidence: EvidenceStore;
  clock: Clock;
  settings: AppSettings;
}

export const systemClock: Clock = { now: () => new Date() };
