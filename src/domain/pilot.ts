/**
 * The pilot's settings: when it started and how long it runs (six months), the platforms in scope,
 * and the size of the access-worker register (six), which no further authorisation may exceed.
 */
import { z } from 'zod';
import { addDays } from './dates';

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

export const pilotSettingsSchema = z.object({
  startDate: z.iso.date({ error: 'Enter the pilot’s start date as a real date (YYYY-MM-DD).' }),
  lengthMonths: z.number({ error: 'Enter the pilot’s length in months.' }).int().min(1, { error: 'The pilot lasts at least one month.' }).max(60, { error: 'The pilot lasts at most 60 months.' }),
  platforms: z
    .array(z.enum(PLATFORMS, { error: 'Choose a listed platform.' }), { error: 'Choose the platforms in scope.' })
    .min(1, { error: 'Choose at least one platform.' })
    .transform((list) => [...new Set(list)]),
  registerSize: z.number({ error: 'Enter how many access workers the register may hold.' }).int().min(1, { error: 'The register holds at least one access worker.' }).max(100, { error: 'The register holds at most 100 access workers.' }),
});
export type PilotSettings = z.output<typeof pilotSettingsSchema>;

/** The protocol's pilot: Facebook only, six months, six access workers. */
export function defaultPilotSettings(today: string): PilotSettings {
  return { startDate: today, lengthMonths: 6, platforms: ['facebook'], registerSize: 6 };
}

export function pilotEndDate(settings: PilotSettings): string {
  const [y, m, d] = settings.startDate.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y, m - 1 + settings.lengthMonths, d));
  return addDays(end, -1).toISOString().slice(0, 10);
}

