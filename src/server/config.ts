/**
 * Configuration from the environment, checked once at start. Embedded defaults run everything on
 * one machine; production must name its identity settings and can never use local sign-in.
 */
import path from 'node:path';
import { z } from 'zod';
import { platformNamed, PLATFORMS, type Platform } from '../domain/pilot';
import type { ProtocolSettings } from '../domain/protocol';
import type { ReminderSettings } from '../domain/reminders';
import { DEFAULT_LAWFUL_BASIS, parseRetentionSchedule, type RetentionSettings } from '../domain/retention';
import { AppError } from '../domain/errors';
import { appCredentialsFromEnv, evidenceConfigFromEnv, type EvidenceStoreConfig } from '../evidence/config';
import type { AppCredentials } from '../graph/app-tokens';
import { auditAnchorConfig, type AuditAnchorConfig } from './audit-anchor';
import { resolveSharePointConfig } from '../evidence/sharepoint/config';
import type { Role } from '../domain/roles';
import { DEFAULT_MAX_EVIDENCE_MB, evidenceLimitBytes } from '../domain/evidence-size';

const ROLE_GROUP_SETTINGS: Record<Role, `ROLE_GROUP_${string}`> = {
  social_worker: 'ROLE_GROUP_SOCIAL_WORKER',
  team_manager: 'ROLE_GROUP_TEAM_MANAGER',
  service_manager: 'ROLE_GROUP_SERVICE_MANAGER',
  service_director: 'ROLE_GROUP_SERVICE_DIRECTOR',
  access_worker: 'ROLE_GROUP_ACCESS_WORKER',
  administrator: 'ROLE_GROUP_ADMINISTRATOR',
};
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  AUTH_MODE: z.enum(['local', 'teams']).optional(),
  PUBLIC_URL: z.string().optional(),
  TEAMS_APP_ID: z.string().optional(),
  TEAMS_APP_CLIENT_ID: z.string().optional(),
  TEAMS_ALLOWED_TENANT_IDS: z.string().optional(),
  TEAMS_JWKS_URI: z.string().optional(),
  BOT_APP_TYPE: z.enum(['SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),
  BOT_APP_ID: z.string().optional(),
  BOT_APP_PASSWORD: z.string().optional(),
  BOT_TENANT_ID: z.string().optional(),
  BOT_OPENID_METADATA_URL: z.string().optional(),
  BOT_AUTHORITY_HOST: z.string().optional(),
  TEAMS_APP_CATALOG_ID: z.string().optional(),
  GRAPH_BASE_URL: z.string().optional(),
  ROLE_GROUP_SOCIAL_WORKER: z.string().optional(),
  ROLE_GROUP_TEAM_MANAGER: z.string().optional(),
  ROLE_GROUP_SERVICE_MANAGER: z.string().optional(),
  ROLE_GROUP_SERVICE_DIRECTOR: z.string().optional(),
  ROLE_GROUP_ACCESS_WORKER: z.string().optional(),
  ROLE_GROUP_ADMINISTRATOR: z.string().optional(),
  BOOTSTRAP_ADMINISTRATORS: z.string().optional(),
  DIRECTORY_SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
  EVIDENCE_DIR: z.string().optional(),
  MAX_EVIDENCE_MB: z.coerce.number().int().min(1).max(10_240).default(DEFAULT_MAX_EVIDENCE_MB),
  MAX_UPLOADS_PER_PERSON: z.coerce.number().int().min(1).max(100).default(2),
  MAX_UPLOADS_TOTAL: z.coerce.number().int().min(1).max(1000).default(8),
  /** An upload that sends nothing for this long is dropped, so a stalled client cannot hold its slot. */
  UPLOAD_IDLE_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /** Notifications delivered at once by each instance (messages to one person still go in order). */
  OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  RATE_LIMIT_PERSON_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  RATE_LIMIT_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(3000),
  AUTHORISATION_VALID_DAYS: z.coerce.number().int().min(1).max(365).default(28),
  ONE_OFF_REVIEW_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /**
   * Only the seed of the pilot settings' platforms, used until an administrator first saves them
   * (docs/deploy.md): platform names, or host names of a platform (facebook.com stands for facebook).
   */
  PILOT_PLATFORMS: z
    .string()
    .default('facebook')
    .transform((text, ctx) => {
      const names = text.split(',').map((n) => n.trim()).filter(Boolean);
      const platforms = names.map((n) => platformNamed(n));
      const unknown = names.filter((_, i) => platforms[i] === null);
      if (names.length === 0 || unknown.length > 0) {
        ctx.addIssue({ code: 'custom', message: `List platforms separated by commas, from ${PLATFORMS.join(', ')}${unknown.length ? ` (not known: ${unknown.join(', ')})` : ''}` });
        return z.NEVER;
      }
      return [...new Set(platforms.filter((p): p is Platform => p !== null))];
    }),
  /** Months kept after closure, by how the request closed: shared=72,declined=24,refused=24,cancelled=24,expired=24. */
  RETENTION_SCHEDULE: z
    .string()
    .default('')
    .superRefine((text, ctx) => {
      try {
        parseRetentionSchedule(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  RETENTION_LAWFUL_BASIS: z.string().trim().min(1).max(2000).optional(),
  REMINDER_DECISION_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(2),
  REMINDER_FEEDBACK_DAYS: z.coerce.number().int().min(0).max(365).default(5),
  REMINDER_FOLLOW_UP_DAYS: z.coerce.number().int().min(1).max(730).default(182),
  REMINDER_MONITORING_NOTICE_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  ESCALATE_AFTER_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(5),
  REMINDER_CASE_RECORD_DAYS: z.coerce.number().int().min(0).max(60).default(2),
  AUDIT_SIGNING_KEY: z.string().optional(),
  AUDIT_PUBLIC_KEY: z.string().optional(),
  AUDIT_CHECKPOINT_DIR: z.string().optional(),
  /** Read by telemetry.ts before the configuration is loaded; listed here so the schema names every setting. */
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface ServerConfig {
  production: boolean;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  databasePoolSize: number;
  localSignIn: boolean;
  publicUrl: string;
  /** Teams mode: the Teams app's manifest id, for deep links to the personal tab. */
  teamsAppId?: string;
  teamsSso?: { clientId: string; allowedTenantIds: string[]; jwksUri?: string };
  bot: { appType: 'SingleTenant' | 'UserAssignedMSI'; appId?: string; appPassword?: string; tenantId?: string; openIdMetadataUrl?: string; authorityHost?: string };
  /** Installing the app through Graph for people who have not (TEAMS_APP_CATALOG_ID and AZURE_* credentials). */
  appInstall?: { catalogAppId: string; graphBaseUrl?: string; credentials: AppCredentials };
  /**
   * People and roles from Entra ID: one security group per role (ROLE_GROUP_*), read through Graph
   * with the AZURE_* app registration. Absent in local mode, which keeps the seeded demo directory.
   */
  directory?: {
    groups: Partial<Record<Role, string>>;
    bootstrapAdministrators: string[];
    intervalMs: number;
    graphBaseUrl?: string;
    credentials: AppCredentials;
  };
  evidenceDir: string;
  /** Local disk, or SharePoint when EVIDENCE_STORE=sharepoint (docs/sharepoint.md). */
  evidence: EvidenceStoreConfig;
  maxEvidenceBytes: number;
  /** Uploads in progress at once, per person and on this instance. */
  uploads: { perPerson: number; total: number; idleSeconds: number };
  outboxConcurrency: number;
  /** Requests allowed per minute, per signed-in person and per client address. */
  rateLimit: { perPersonPerMinute: number; perAddressPerMinute: number };
  authorisationValidDays: number;
  protocol: ProtocolSettings;
  /** The seed of the pilot settings' platforms (PILOT_PLATFORMS); the stored pilot settings decide once saved. */
  pilotPlatforms: Platform[];
  reminders: ReminderSettings;
  /** The retention schedule (counted from closure) and the lawful basis shown on each request (docs/retention.md). */
  retention: RetentionSettings;
  /** Signing and publishing the audit chain's checkpoints (docs/audit.md). */
  audit: AuditAnchorConfig;
  logLevel: z.output<typeof envSchema>['LOG_LEVEL'];
  /** Settings that work but are risky; printed loudly at start-up. */
  warnings: string[];
}

export class ConfigError extends Error {}

/** The NODE_ENV values under which local sign-in (and its open token minting) may run. */
const LOCAL_SIGN_IN_ENVIRONMENTS = new Set(['', 'development', 'test']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Every missing setting for Teams mode, named, so one start-up attempt shows them all. */
function missingForTeams(e: z.output<typeof envSchema>): string[] {
  const missing: string[] = [];
  // Card links open the personal tab by a Teams deep link, which names the app by its manifest id.
  if (!e.TEAMS_APP_ID) missing.push('TEAMS_APP_ID');
  if (!e.TEAMS_APP_CLIENT_ID) missing.push('TEAMS_APP_CLIENT_ID');
  if (!e.TEAMS_ALLOWED_TENANT_IDS?.trim()) missing.push('TEAMS_ALLOWED_TENANT_IDS');
  if (!e.BOT_APP_ID) missing.push(e.BOT_APP_TYPE === 'UserAssignedMSI' ? 'BOT_APP_ID (the managed identity’s client id)' : 'BOT_APP_ID');
  if (e.BOT_APP_TYPE === 'SingleTenant') {
    if (!e.BOT_APP_PASSWORD) missing.push('BOT_APP_PASSWORD');
    if (!e.BOT_TENANT_ID) missing.push('BOT_TENANT_ID');
  }
  return missing;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const e = parsed.data;
  const nodeEnv = (e.NODE_ENV ?? '').trim().toLowerCase();
  const production = nodeEnv === 'production';
  const localSignInAllowed = LOCAL_SIGN_IN_ENVIRONMENTS.has(nodeEnv);
  const authMode = e.AUTH_MODE ?? (localSignInAllowed ? 'local' : 'teams');
  if (authMode === 'local' && !localSignInAllowed) {
    throw new ConfigError(`Local sign-in cannot be used when NODE_ENV=${e.NODE_ENV ?? ''}: it is allowed only when NODE_ENV is unset, development or test. Set AUTH_MODE=teams and the TEAMS_* and BOT_* settings.`);
  }
  // Every missing setting is named at once: one failed start per missing setting is slow to deploy.
  const needsDatabase = production && !e.DATABASE_URL ? 'NODE_ENV=production needs DATABASE_URL: the embedded database is for one machine only.' : null;
  const missingTeams = authMode === 'teams' ? missingForTeams(e) : [];
  const needsTeams = missingTeams.length > 0 ? `AUTH_MODE=teams needs ${missingTeams.join(', ')}.` : null;
  // Evidence belongs in the restricted SharePoint library (DESIGN §4); a server's own disk is kept
  // only by choice, never because a setting was forgotten.
  const needsEvidenceStore = production && !env.EVIDENCE_STORE?.trim()
    ? 'NODE_ENV=production needs EVIDENCE_STORE=sharepoint and its SHAREPOINT_* settings (docs/sharepoint.md), or EVIDENCE_STORE=local to keep evidence on this server\'s disk deliberately.'
    : null;
  // Unsigned checkpoints prove nothing to audit:verify against someone who controls the database (DESIGN §6).
  const needsAuditKey = production && !env.AUDIT_SIGNING_KEY?.trim() ? 'NODE_ENV=production needs AUDIT_SIGNING_KEY, the key that signs the audit checkpoints (docs/audit.md).' : null;
  const needs = [needsDatabase, needsTeams, needsEvidenceStore, needsAuditKey].filter(Boolean);
  if (needs.length > 0) throw new ConfigError(needs.join(' '));
  const warnings: string[] = [];
  if (authMode === 'local' && !isLoopbackHost(e.HOST)) {
    warnings.push(`LOCAL SIGN-IN IS LISTENING ON ${e.HOST}, NOT ONLY THIS MACHINE: anyone who can reach it can sign in as anyone in the demo directory. Use HOST=127.0.0.1, or AUTH_MODE=teams.`);
  }
  let teamsSso: ServerConfig['teamsSso'];
  if (e.TEAMS_APP_CLIENT_ID) {
    const tenants = (e.TEAMS_ALLOWED_TENANT_IDS ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    if (tenants.length === 0) throw new ConfigError('TEAMS_ALLOWED_TENANT_IDS must list the tenant ids allowed to sign in.');
    teamsSso = { clientId: e.TEAMS_APP_CLIENT_ID, allowedTenantIds: tenants, ...(e.TEAMS_JWKS_URI ? { jwksUri: e.TEAMS_JWKS_URI } : {}) };
  }
  const dataDir = e.DATA_DIR === ':memory:' ? e.DATA_DIR : path.resolve(e.DATA_DIR);
  const evidenceDir = e.EVIDENCE_DIR ? path.resolve(e.EVIDENCE_DIR) : path.join(dataDir === ':memory:' ? path.resolve('data') : dataDir, 'evidence');
  const maxEvidenceBytes = evidenceLimitBytes(e.MAX_EVIDENCE_MB);
  let evidence: EvidenceStoreConfig;
  let appInstall: ServerConfig['appInstall'];
  let directory: ServerConfig['directory'];
  const groups: Partial<Record<Role, string>> = {};
  for (const [role, name] of Object.entries(ROLE_GROUP_SETTINGS) as [Role, string][]) {
    const id = env[name]?.trim();
    if (!id) continue;
    if (!GUID.test(id)) throw new ConfigError(`${name} must be the object id of an Entra ID security group (a GUID).`);
    groups[role] = id;
  }
  const bootstrapAdministrators = (e.BOOTSTRAP_ADMINISTRATORS ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  const syncsDirectory = Object.keys(groups).length > 0 || bootstrapAdministrators.length > 0;
  if (syncsDirectory && authMode === 'local') {
    throw new ConfigError('ROLE_GROUP_* and BOOTSTRAP_ADMINISTRATORS are for Teams mode (AUTH_MODE=teams); local mode uses the seeded demo directory.');
  }
  try {
    if (syncsDirectory) {
      const credentials = appCredentialsFromEnv(env);
      directory = {
        groups,
        bootstrapAdministrators,
        intervalMs: e.DIRECTORY_SYNC_INTERVAL_MINUTES * 60_000,
        ...(e.GRAPH_BASE_URL ? { graphBaseUrl: e.GRAPH_BASE_URL } : {}),
        credentials: { ...credentials, authorityHost: credentials.authorityHost ?? 'https://login.microsoftonline.com' },
      };
    }
    if (e.TEAMS_APP_CATALOG_ID) {
      const credentials = appCredentialsFromEnv(env);
      appInstall = {
        catalogAppId: e.TEAMS_APP_CATALOG_ID,
        ...(e.GRAPH_BASE_URL ? { graphBaseUrl: e.GRAPH_BASE_URL } : {}),
        credentials: { ...credentials, authorityHost: credentials.authorityHost ?? 'https://login.microsoftonline.com' },
      };
    }
    // One upload limit (MAX_EVIDENCE_MB) and one evidence folder for every store.
    evidence = evidenceConfigFromEnv({ ...env, DATA_DIR: dataDir === ':memory:' ? path.resolve('data') : dataDir, EVIDENCE_DIR: evidenceDir, MAX_EVIDENCE_MB: String(e.MAX_EVIDENCE_MB) });
    // Settings Graph would refuse on every upload (a 60 MiB chunk, say) stop the start instead.
    if (evidence.kind === 'sharepoint') resolveSharePointConfig(evidence.sharepoint);
    else if (production) warnings.push(`EVIDENCE IS KEPT ON THIS SERVER'S DISK (${evidenceDir}), NOT IN THE RESTRICTED SHAREPOINT LIBRARY: it is lost with the server and other instances cannot read it. Use EVIDENCE_STORE=sharepoint (docs/sharepoint.md).`);
  } catch (error) {
    if (error instanceof AppError) {
      throw new ConfigError(`${error.message} ${Object.entries(error.fields ?? {}).map(([k, v]) => `${k}: ${v}`).join('; ')}`.trim());
    }
    throw error;
  }
  return {
    production,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    databasePoolSize: e.DATABASE_POOL_SIZE,
    localSignIn: authMode === 'local',
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    ...(teamsSso ? { teamsSso } : {}),
    ...(authMode === 'teams' && e.TEAMS_APP_ID ? { teamsAppId: e.TEAMS_APP_ID } : {}),
    bot: {
      appType: e.BOT_APP_TYPE,
      ...(e.BOT_AUTHORITY_HOST ? { authorityHost: e.BOT_AUTHORITY_HOST } : {}),
      ...(e.BOT_APP_ID ? { appId: e.BOT_APP_ID } : {}),
      ...(e.BOT_APP_PASSWORD ? { appPassword: e.BOT_APP_PASSWORD } : {}),
      ...(e.BOT_TENANT_ID ? { tenantId: e.BOT_TENANT_ID } : {}),
      ...(e.BOT_OPENID_METADATA_URL ? { openIdMetadataUrl: e.BOT_OPENID_METADATA_URL } : {}),
    },
    evidenceDir,
    evidence,
    ...(appInstall ? { appInstall } : {}),
    ...(directory ? { directory } : {}),
    maxEvidenceBytes,
    uploads: { perPerson: e.MAX_UPLOADS_PER_PERSON, total: e.MAX_UPLOADS_TOTAL, idleSeconds: e.UPLOAD_IDLE_SECONDS },
    outboxConcurrency: e.OUTBOX_CONCURRENCY,
    rateLimit: { perPersonPerMinute: e.RATE_LIMIT_PERSON_PER_MINUTE, perAddressPerMinute: e.RATE_LIMIT_ADDRESS_PER_MINUTE },
    authorisationValidDays: e.AUTHORISATION_VALID_DAYS,
    protocol: { oneOffReviewDays: e.ONE_OFF_REVIEW_DAYS, followUpDays: e.REMINDER_FOLLOW_UP_DAYS },
    pilotPlatforms: e.PILOT_PLATFORMS,
    reminders: {
      decisionWorkingDays: e.REMINDER_DECISION_WORKING_DAYS,
      feedbackDays: e.REMINDER_FEEDBACK_DAYS,
      caseRecordDays: e.REMINDER_CASE_RECORD_DAYS,
      followUpDays: e.REMINDER_FOLLOW_UP_DAYS,
      monitoringReviewNoticeDays: e.REMINDER_MONITORING_NOTICE_DAYS,
      escalateAfterWorkingDays: e.ESCALATE_AFTER_WORKING_DAYS,
    },
    retention: { schedule: parseRetentionSchedule(e.RETENTION_SCHEDULE), lawfulBasis: e.RETENTION_LAWFUL_BASIS ?? DEFAULT_LAWFUL_BASIS },
    audit: auditAnchorConfig(
      { AUDIT_SIGNING_KEY: e.AUDIT_SIGNING_KEY, AUDIT_PUBLIC_KEY: e.AUDIT_PUBLIC_KEY, AUDIT_CHECKPOINT_DIR: e.AUDIT_CHECKPOINT_DIR },
      { dataDir, production, evidence },
    ),
    logLevel: e.LOG_LEVEL,
    warnings,
  };
}
