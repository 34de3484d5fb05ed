import { summarise } from '../payloads.js';
import type { MailContactKind } from './kind.js';

/**
 * An email address, confirmed by a 6-digit code before it receives anything (../contacts/verification.ts).
 * The message is plain text and HTML; subject `[Vigil] DOWN: <name> — <reason>`.
 */
export const emailKind: MailContactKind = {
  name: 'email',
  transport: 'mail',
  target: 'email',
  secret: 'none',
  verifiedByCode: true,
  normalise: (target) => target.toLowerCase(),
  // The input schema checked the address.
  targetProblem: () => null,
  message(event, { appUrl, target }) {
    const s = summarise(event, appUrl);
    const text = [...s.lines, '', ...(s.link ? [`Open in Vigil: ${s.link}`] : [])].join('\n');
    const html = `<h2>${escapeHtml(s.title)}</h2>${s.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}${
      s.link ? `<p><a href="${escapeHtml(s.link)}">Open in Vigil</a></p>` : ''
    }`;
    return { to: target, subject: `[Vigil] ${s.title}`, text, html };
  },
};

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
