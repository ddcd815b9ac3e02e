import type { ReminderSettings } from '../domain/reminders';
import type { RetentionSettings } from '../domain/retention';
import type { Platform } from '../domain/pilot';
import type { ProtocolSettings } from '../domain/protocol';
import type { WorkflowSettings } from '../domain/workflow';
import type { Clock, Directory, EvidenceStore, Store } from './ports';

export interface AppSettings {
  workflow: WorkflowSettings;
  protocol: ProtocolSettings;
  /** The platforms in scope until the pilot settings are first saved (PILOT_PLATFORMS); Facebook when absent. */
  pilotPlatforms?: readonly Platform[];
  /** Largest evidence file accepted, in bytes. */
  maxEvidenceBytes: number;
  /** When reminders (and the six-month follow-up) fall due; the defaults when absent. */
  reminders?: ReminderSettings;
  /** The retention schedule and lawful basis; the defaults when absent. */
  retention?: RetentionSettings;
}

/** What every use case is given: its ports and settings, never a framework. */
export interface AppDeps {
  store: Store;
  /** The directory for names and sign-in outside transactions; may be cached. */
  directory: Directory;
  evidence: EvidenceStore;
  clock: Clock;
  settings: AppSettings;
}

export const systemClock: Clock = { now: () => new Date() };
