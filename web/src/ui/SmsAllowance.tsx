import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { api } from '../api/client';
import { usageQuery } from '../api/query';

type Usage = Awaited<ReturnType<typeof api.account.usage.query>>;

/**
 * The monthly SMS allowance in words: with `counted`, how much of it is used (beside an SMS
 * contact); always, what happens at it, or that the plan has none, so a Free account learns that
 * before it asks for a text, not from a refusal.
 */
export function SmsAllowance({ usage, counted = false }: { usage: Usage; counted?: boolean }) {
  const sms = usage.counted.find((c) => c.limit === 'smsPerMonth');
  if (!sms) return null;
  if (sms.max === 0) {
    return (
      <p className="notice" role="status">
        The {usage.label} plan includes no SMS: SMS contacts need a paid plan (Solo or Team). {counted && <Link to="/settings/plan">See your plan</Link>}
      </p>
    );
  }
  const resets = new Date(usage.sms.resetsAt).toLocaleDateString(undefined, { day: 'numeric', month: 'long', timeZone: 'UTC' });
  const skipped = usage.sms.skippedThisMonth;
  return (
    <p className={skipped > 0 ? 'notice' : 'hint'} role={skipped > 0 || counted ? 'status' : undefined}>
      {counted && `SMS this month: ${sms.used} of ${sms.max} used (alerts and codes). `}
      At the SMS allowance, SMS alerts are skipped (the delivery log says so) and other contacts still receive theirs; the allowance starts again on {resets}.
      {skipped > 0 && <strong> {skipped} SMS alert{skipped === 1 ? '' : 's'} skipped this month.</strong>}
    </p>
  );
}

/** The allowance for a screen that does not hold the usage already (the contacts). */
export function SmsAllowanceNow() {
  const usage = useQuery(usageQuery).data;
  return usage ? <SmsAllowance usage={usage} counted /> : null;
}
