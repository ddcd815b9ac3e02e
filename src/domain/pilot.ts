/**
 * The pilot's settings: when it started and how long it runs (six months), the platforms in scope,
 * and the size of the access-worker register (six), which no further authorisation may exceed.
 */
import { z } from 'zod';
import { addDays, inServiceRange } from './dates';

export const PLATFORMS = ['facebook', 'instagram', 'x', 'tiktok', 'snapchat', 'linkedin'] as const;
export type Platform = (typeof PLATFORMS)[number];
export const PLATFORM_LABELS: Record<Platform, string> = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  x: 'X (Twitter)',
  tiktok: 'TikTok',
  snapchat: 'Snapchat',
  linkedin: 'LinkedIn',
};

/** The host names of each platform: a link to one of them, or to a subdomain of one, is on that platform. */
export const PLATFORM_HOSTS: Record<Platform, readonly string[]> = {
  facebook: ['facebook.com', 'fb.com', 'fb.me'],
  instagram: ['instagram.com', 'instagr.am'],
  x: ['x.com', 'twitter.com'],
  tiktok: ['tiktok.com'],
  snapchat: ['snapchat.com'],
  linkedin: ['linkedin.com', 'lnkd.in'],
};

/** The platform a name or host name stands for: `facebook`, or one of its hosts such as `fb.com`; null if none. */
export function platformNamed(name: string): Platform | null {
  const n = name.trim().toLowerCase();
  const found = PLATFORMS.find((p) => p === n || PLATFORM_HOSTS[p].includes(n));
  return found ?? null;
}

/** Whether a link is on one of the platforms in scope. */
export function onPlatforms(link: string, platforms: readonly Platform[]): boolean {
  let host: string;
  try {
    host = new URL(link).hostname.toLowerCase();
  } catch {
    return false;
  }
  return platforms.some((p) => PLATFORM_HOSTS[p].some((h) => host === h || host.endsWith(`.${h}`)));
}

export const pilotSettingsSchema = z.object({
  startDate: z.iso.date({ error: 'Enter the pilot’s start date as a real date (YYYY-MM-DD).' }).refine(inServiceRange, { error: 'Enter a start date between 1900 and 2999.' }),
  lengthMonths: z.number({ error: 'Enter the pilot’s length in months.' }).int().min(1, { error: 'The pilot lasts at least one month.' }).max(60, { error: 'The pilot lasts at most 60 months.' }),
  platforms: z
    .array(z.enum(PLATFORMS, { error: 'Choose a listed platform.' }), { error: 'Choose the platforms in scope.' })
    .min(1, { error: 'Choose at least one platform.' })
    .max(PLATFORMS.length, { error: 'Choose each platform once.' })
    .transform((list) => [...new Set(list)]),
  registerSize: z.number({ error: 'Enter how many access workers the register may hold.' }).int().min(1, { error: 'The register holds at least one access worker.' }).max(100, { error: 'The register holds at most 100 access workers.' }),
});
export type PilotSettings = z.output<typeof pilotSettingsSchema>;

/** The protocol's pilot: Facebook only, six months, six access workers. */
export const DEFAULT_PILOT_PLATFORMS: readonly Platform[] = ['facebook'];

/**
 * The settings before an administrator first saves them. `platforms` is the seed from configuration
 * (PILOT_PLATFORMS); once saved, the stored settings alone say which platforms are in scope.
 */
export function defaultPilotSettings(today: string, platforms: readonly Platform[] = DEFAULT_PILOT_PLATFORMS): PilotSettings {
  return { startDate: today, lengthMonths: 6, platforms: [...platforms], registerSize: 6 };
}

export function pilotEndDate(settings: PilotSettings): string {
  const [y, m, d] = settings.startDate.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y, m - 1 + settings.lengthMonths, d));
  return addDays(end, -1).toISOString().slice(0, 10);
}

