/**
 * Configuration from the environment, checked once at start. Embedded defaults run everything on
 * one machine; production must name its identity settings and can never use local sign-in.
 */
import path from 'node:path';
import { z } from 'zod';
import type { ProtocolSettings } from '../domain/protocol';
import type { ReminderSettings } from '../domain/reminders';
import { AppError } from '../domain/errors';
import { appCredentialsFromEnv, evidenceConfigFromEnv, type EvidenceStoreConfig } from '../evidence/config';
import type { AppCredentials } from '../evidence/sharepoint/auth';

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  AUTH_MODE: z.enum(['local', 'teams']).optional(),
  PUBLIC_URL: z.string().optional(),
  TEAMS_APP_CLIENT_ID: z.string().optional(),
  TEAMS_APP_ID_URI: z.string().optional(),
  TEAMS_ALLOWED_TENANT_IDS: z.string().optional(),
  TEAMS_JWKS_URI: z.string().optional(),
  BOT_APP_ID: z.string().optional(),
  BOT_APP_PASSWORD: z.string().optional(),
  BOT_TENANT_ID: z.string().optional(),
  BOT_OPENID_METADATA_URL: z.string().optional(),
  TEAMS_APP_CATALOG_ID: z.string().optional(),
  GRAPH_BASE_URL: z.string().optional(),
  EVIDENCE_DIR: z.string().optional(),
  MAX_EVIDENCE_MB: z.coerce.number().int().min(1).max(10_240).default(250),
  AUTHORISATION_VALID_DAYS: z.coerce.number().int().min(1).max(365).default(28),
  ONE_OFF_REVIEW_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  PILOT_PLATFORMS: z
    .string()
    .regex(/^[a-z0-9.-]+(,[a-z0-9.-]+)*$/i, { error: 'List host names separated by commas, e.g. facebook.com,fb.com' })
    .default('facebook.com,fb.com,fb.me'),
  REMINDER_DECISION_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(2),
  REMINDER_FEEDBACK_DAYS: z.coerce.number().int().min(0).max(365).default(5),
  REMINDER_FOLLOW_UP_DAYS: z.coerce.number().int().min(1).max(730).default(182),
  REMINDER_MONITORING_NOTICE_DAYS: z.coerce.number().int().min(0).max(60).default(3),
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
  teamsSso?: { clientId: string; applicationIdUri?: string; allowedTenantIds: string[]; jwksUri?: string };
  bot: { appId?: string; appPassword?: string; tenantId?: string; openIdMetadataUrl?: string };
  /** Installing the app through Graph for people who have not (TEAMS_APP_CATALOG_ID and AZURE_* credentials). */
  appInstall?: { catalogAppId: string; graphBaseUrl?: string; credentials: AppCredentials };
  evidenceDir: string;
  /** Local disk, or SharePoint when EVIDENCE_STORE=sharepoint (docs/sharepoint.md). */
  evidence: EvidenceStoreConfig;
  maxEvidenceBytes: number;
  authorisationValidDays: number;
  protocol: ProtocolSettings;
  reminders: ReminderSettings;
  logLevel: z.output<typeof envSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const authMode = e.AUTH_MODE ?? (production ? 'teams' : 'local');
  if (production && authMode === 'local') {
    throw new ConfigError('Local sign-in cannot be used when NODE_ENV=production. Set AUTH_MODE=teams and the TEAMS_* settings.');
  }
  let teamsSso: ServerConfig['teamsSso'];
  if (e.TEAMS_APP_CLIENT_ID) {
    const tenants = (e.TEAMS_ALLOWED_TENANT_IDS ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    if (tenants.length === 0) throw new ConfigError('TEAMS_ALLOWED_TENANT_IDS must list the tenant ids allowed to sign in.');
    teamsSso = { clientId: e.TEAMS_APP_CLIENT_ID, allowedTenantIds: tenants, ...(e.TEAMS_APP_ID_URI ? { applicationIdUri: e.TEAMS_APP_ID_URI } : {}), ...(e.TEAMS_JWKS_URI ? { jwksUri: e.TEAMS_JWKS_URI } : {}) };
  }
  if (authMode === 'teams' && !teamsSso) {
    throw new ConfigError('AUTH_MODE=teams needs TEAMS_APP_CLIENT_ID and TEAMS_ALLOWED_TENANT_IDS.');
  }
  const dataDir = e.DATA_DIR === ':memory:' ? e.DATA_DIR : path.resolve(e.DATA_DIR);
  const evidenceDir = e.EVIDENCE_DIR ? path.resolve(e.EVIDENCE_DIR) : path.join(dataDir === ':memory:' ? path.resolve('data') : dataDir, 'evidence');
  const maxEvidenceBytes = e.MAX_EVIDENCE_MB * 1024 * 1024;
  let evidence: EvidenceStoreConfig;
  let appInstall: ServerConfig['appInstall'];
  try {
    if (e.TEAMS_APP_CATALOG_ID) {
      const credentials = appCredentialsFromEnv(env);
      appInstall = {
        catalogAppId: e.TEAMS_APP_CATALOG_ID,
        ...(e.GRAPH_BASE_URL ? { graphBaseUrl: e.GRAPH_BASE_URL } : {}),
        credentials: { ...credentials, authorityHost: credentials.authorityHost ?? 'https://login.microsoftonline.com' },
      };
    }
    // One upload limit (MAX_EVIDENCE_MB) and one evidence folder for every store.
    evidence = evidenceConfigFromEnv({ ...env, DATA_DIR: dataDir === ':memory:' ? path.resolve('data') : dataDir, EVIDENCE_DIR: evidenceDir, EVIDENCE_MAX_BYTES: String(maxEvidenceBytes) });
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
    bot: {
      ...(e.BOT_APP_ID ? { appId: e.BOT_APP_ID } : {}),
      ...(e.BOT_APP_PASSWORD ? { appPassword: e.BOT_APP_PASSWORD } : {}),
      ...(e.BOT_TENANT_ID ? { tenantId: e.BOT_TENANT_ID } : {}),
      ...(e.BOT_OPENID_METADATA_URL ? { openIdMetadataUrl: e.BOT_OPENID_METADATA_URL } : {}),
    },
    evidenceDir,
    evidence,
    ...(appInstall ? { appInstall } : {}),
    maxEvidenceBytes,
    authorisationValidDays: e.AUTHORISATION_VALID_DAYS,
    protocol: { oneOffReviewDays: e.ONE_OFF_REVIEW_DAYS, platforms: e.PILOT_PLATFORMS.toLowerCase().split(','), followUpDays: e.REMINDER_FOLLOW_UP_DAYS },
    reminders: {
      decisionWorkingDays: e.REMINDER_DECISION_WORKING_DAYS,
      feedbackDays: e.REMINDER_FEEDBACK_DAYS,
      followUpDays: e.REMINDER_FOLLOW_UP_DAYS,
      monitoringReviewNoticeDays: e.REMINDER_MONITORING_NOTICE_DAYS,
    },
    logLevel: e.LOG_LEVEL,
  };
}
