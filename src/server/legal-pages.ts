/**
 * The privacy notice and terms of use the Teams manifest links to (privacyUrl, termsOfUseUrl).
 * Served as real pages so the links never land on the tab's shell.
 */
import type { FastifyInstance } from 'fastify';

const page = (title: string, paragraphs: string[]) => `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} — Social Media Checks</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}</style></head>
<body><main><h1>${title}</h1>
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
</main></body>
</html>
`;

const PRIVACY = page('Privacy notice', [
  'Social Media Checks is used by the council’s children’s social care staff to ask for, authorise, carry out and record checks of a person’s <strong>public</strong> Facebook information, under the council’s Protocol for authorising access to Facebook.',
  'It keeps the Investigation Request (the child, the concern, the people to check and why), each decision with who made it and when, the Investigation Log, and copies of publicly visible information saved as evidence. Staff are identified through the council’s Microsoft 365 sign-in.',
  'Only staff with a part in a request, and the access worker register once a request is authorised, can see it. Every decision and every viewing of evidence is recorded in an audit trail that cannot be altered.',
  'Records are kept and disposed of under the council’s records retention schedule for children’s social care. To ask about your information, contact the council’s data protection officer.',
]);

const TERMS = page('Terms of use', [
  'Social Media Checks is for authorised staff of the council’s children’s social care service only, and only for checks authorised under the council’s Protocol for authorising access to Facebook.',
  'Only information visible to anyone without being a “friend” may be looked at or recorded. Searches are made with the corporate account, in timed sessions, within the people, period and conditions a service director authorised.',
  'Everything you do in the app is recorded with your name. Misuse is a disciplinary matter.',
]);

export function registerLegalPages(app: FastifyInstance): void {
  for (const [path, html] of [['/privacy', PRIVACY], ['/terms', TERMS]] as const) {
    app.get(path, async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'public, max-age=3600').send(html));
  }
}
