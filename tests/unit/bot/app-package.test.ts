/**
 * The Teams app package: the manifest, filled from env/, validates against the schema of its own
 * manifestVersion (1.25 or newer); the icons have the sizes Teams requires; the zip holds all three.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { buildPackage, fillManifest, manifestValues } from '../../../scripts/package-app';
import { drawIcon, ICONS } from '../../../scripts/make-icons';
import { compileSharedSchema, SHARED_SCHEMAS } from '../../support/json-schemas';

const ROOT = path.resolve(__dirname, '../../..');
const template = readFileSync(path.join(ROOT, 'appPackage/manifest.json'), 'utf8');

describe('Teams app package', () => {
  it('fills every placeholder and validates against the schema of its manifestVersion', () => {
    const manifest = JSON.parse(fillManifest(template, manifestValues('local', {}))) as { manifestVersion: string; bots: { scopes: string[] }[]; staticTabs: unknown[]; webApplicationInfo: { id: string } };
    const [major, minor] = manifest.manifestVersion.split('.').map(Number);
    expect(major).toBe(1);
    expect(minor).toBeGreaterThanOrEqual(25);
    const schemaFile = `teams/v${manifest.manifestVersion}.MicrosoftTeams.schema.json`;
    expect(existsSync(path.join(SHARED_SCHEMAS, schemaFile))).toBe(true);
    const validate = compileSharedSchema(schemaFile);
    if (!validate(manifest)) throw new Error(JSON.stringify(validate.errors, null, 1));
    expect(manifest.bots[0]?.scopes.sort()).toEqual(['personal', 'team']);
    expect(manifest.staticTabs.length).toBeGreaterThan(0);
    expect(manifest.webApplicationInfo.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses to package with a placeholder left unfilled', () => {
    expect(() => fillManifest(template, { TEAMS_APP_ID: 'x' })).toThrow(/BOT_ID/);
  });

  it('escapes values so they cannot break the JSON', () => {
    const values = { ...manifestValues('local', {}), DEVELOPER_NAME: 'A "quoted" council\\' };
    const manifest = JSON.parse(fillManifest(template, values)) as { developer: { name: string } };
    expect(manifest.developer.name).toBe('A "quoted" council\\');
  });

  it('has a 192×192 colour icon and a 32×32 white-on-transparent outline icon, as generated', () => {
    const color = PNG.sync.read(readFileSync(path.join(ROOT, 'appPackage/color.png')));
    const outline = PNG.sync.read(readFileSync(path.join(ROOT, 'appPackage/outline.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let transparent = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = [outline.data[i], outline.data[i + 1], outline.data[i + 2], outline.data[i + 3]];
      if (a === 0) transparent += 1;
      else expect([r, g, b, a]).toEqual([255, 255, 255, 255]);
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.5);
    // The committed files are what scripts/make-icons.ts draws.
    expect(Buffer.compare(PNG.sync.write(drawIcon(32, ICONS.outline.foreground, ICONS.outline.background)), readFileSync(path.join(ROOT, 'appPackage/outline.png')))).toBe(0);
  });

  it('writes a zip with the manifest and both icons', async () => {
    const { zipPath } = await buildPackage('local', {});
    const zip = await JSZip.loadAsync(readFileSync(zipPath));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse((await zip.file('manifest.json')?.async('string')) ?? '{}') as { id: string };
    expect(manifest.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
