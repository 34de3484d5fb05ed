import { badInput } from '../../domain/errors.js';
import { targetUrlProblem } from '../../net/ssrf.js';
import type { Services } from '../../services.js';
import type { ContactKindModule } from '../kinds/kind.js';

/** The kind's rule on its target, then, for a URL, the same SSRF guard as monitors (at create and update; the sender checks again). */
export async function assertTarget(svc: Services, kind: ContactKindModule, target: string): Promise<void> {
  const problem =
    kind.targetProblem(svc.config, target) ??
    (kind.target === 'url' ? await targetUrlProblem(new URL(target), svc.config.allowPrivateTargets, {}, svc.config.namesSettings) : null);
  if (problem) throw badInput('target', problem);
}

/**
 * A secret the person gives, judged by the kind: refused where the kind takes none (a webhook's is
 * made by Vigil), required where the kind needs one, and in the kind's documented format. `null`
 * removes an optional one. Returns what to store (undefined: leave as it is).
 */
export function givenSecret(kind: ContactKindModule, secret: string | null | undefined, creating: boolean): string | null | undefined {
  const label = kind.secretLabel ?? 'secret';
  if (kind.secret === 'none' || kind.secret === 'generated') {
    if (secret === undefined) return undefined;
    throw badInput(
      'secret',
      kind.secret === 'generated' ? 'a webhook’s signing secret is made by Vigil; replace it with contacts.rotateSecret' : `${kind.name} contacts take no secret`,
    );
  }
  if (secret === null) {
    if (kind.secret === 'required') throw badInput('secret', `the ${label} is required; give a new one to replace it`);
    return null;
  }
  if (secret === undefined) {
    if (creating && kind.secret === 'required') throw badInput('secret', `the ${label} is required`);
    return undefined;
  }
  const problem = kind.secretProblem?.(secret);
  if (problem) throw badInput('secret', problem);
  return secret;
}
