/** Security headers. The tab may be framed only by Teams and Microsoft 365 hosts. */
export const TEAMS_FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
  'https://outlook.office.com',
];

/** Computed once: the same for every response. */
const HEADERS: Record<string, string> = Object.freeze({
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      // Fluent UI inserts its styles at run time.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "connect-src 'self'",
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
});

export function securityHeaders(): Record<string, string> {
  return HEADERS;
}
