/**
 * Security headers. The tab may be framed only by the Microsoft 365 hosts that run Teams apps:
 * the list Microsoft gives in "Tab requirements" (learn.microsoft.com/microsoftteams/platform/tabs/
 * how-to/tab-requirements) — "*.cloud.microsoft" for all hosts, Teams, the Microsoft 365 app and Outlook.
 */
export const TEAMS_FRAME_ANCESTORS = [
  "'self'",
  'https://*.cloud.microsoft',
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://microsoft365.com',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://outlook-sdf.office.com',
  'https://outlook-sdf.office365.com',
  'https://outlook.live.com',
];

/**
 * TeamsJS checks the host's origin against a list it fetches from this address (falling back to
 * the list built into the library when the fetch fails).
 */
export const TEAMS_JS_VALID_DOMAINS_URL = 'https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json';

const BASE: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    // Fluent UI inserts its styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ${TEAMS_JS_VALID_DOMAINS_URL}`,
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${TEAMS_FRAME_ANCESTORS.join(' ')}`,
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
  'cross-origin-resource-policy': 'same-origin',
};

/** Browsers keep to HTTPS for a year once they have seen this; never sent in local mode (plain HTTP). */
const HSTS = 'max-age=31536000; includeSubDomains';

/** Computed once per mode: the same for every response. */
const HEADERS = {
  local: Object.freeze({ ...BASE }),
  deployed: Object.freeze({ ...BASE, 'strict-transport-security': HSTS }),
};

export function securityHeaders(options: { local: boolean } = { local: true }): Readonly<Record<string, string>> {
  return options.local ? HEADERS.local : HEADERS.deployed;
}

/**
 * Evidence and filed documents: never run in our origin. `sandbox` gives the content an opaque
 * origin with no scripts, forms or navigation of the top window even if a browser renders it.
 */
export const STORED_CONTENT_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** Types a browser may preview safely in a sandbox; everything else is only ever downloaded. */
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);

export function storedContentHeaders(contentType: string, fileName: string, size: number, options: { download?: boolean } = {}): Record<string, string> {
  const safeName = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  const inline = !options.download && PREVIEWABLE.has(contentType);
  return {
    // Saved web pages are only ever files to download: no browser is told they are HTML.
    'content-type': /html|multipart\/related/i.test(contentType) ? 'application/octet-stream' : contentType,
    'content-length': String(size),
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${safeName}"`,
    'content-security-policy': STORED_CONTENT_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
}
