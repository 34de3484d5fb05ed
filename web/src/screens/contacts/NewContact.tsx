import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import * as z from 'zod';
import { api } from '../../api/client';
import { errorOf, useApiForm } from '../../forms/useApiForm';
import { Field, Submit } from '../../ui/Field';
import { focusOnMount } from '../../ui/focus';
import { PanelForm } from '../../ui/PanelForm';
import { ShownOnce } from '../../ui/ShownOnce';
import { SmsAllowanceNow } from '../../ui/SmsAllowance';
import { usageQuery } from '../../api/query';
import { KINDS, type Contact, type ContactKind } from './contact-format';

type Values = { kind: ContactKind; name: string; target: string; secret: string };
/** The server validates (its schema imports the database's enums, which stay out of the bundle); its refusals show beside the fields. */
const values = z.custom<Values>();

type Created = { id: string; name: string; kind: ContactKind; target: string; signingSecret: string | null; secretSet: boolean };

/**
 * Adds a contact of any kind. What was added is said above the form, which stays for the next one:
 * a webhook's signing secret, shown once; for an email, that its code is on its way; for a key or
 * token the person gave, that it is kept encrypted and not shown again.
 */
export function NewContact({ contacts }: { contacts: Contact[] }) {
  const queryClient = useQueryClient();
  const [added, setCreated] = useState<Created | null>(null);
  // Said while the contact exists: one deleted since is no longer news.
  const created = added && contacts.some((c) => c.id === added.id) ? added : null;
  const { form, problem, problemRef, submit } = useApiForm<Values>(values, { kind: 'webhook', name: '', target: '', secret: '' });
  const kind = form.watch('kind');
  const k = KINDS[kind];
  const kindError = errorOf(form, 'kind');

  return (
    <PanelForm
      headingId="new-contact"
      title="Add a contact"
      problem={problem}
      problemRef={problemRef}
      news={
        created?.signingSecret ? (
          <ShownOnce title={`${created.name} added`} label="Signing secret" value={created.signingSecret}>
            <p>
              Your receiver checks each request’s <code>webhook-signature</code> with this secret (Standard Webhooks).
            </p>
          </ShownOnce>
        ) : (
          created && (
            <p className="done" role="status" tabIndex={-1} ref={focusOnMount}>
              {created.kind === 'email'
                ? `${created.name} added. We mailed a 6-digit code to ${created.target}: enter it on its card above, or open the link in the email.`
                : created.kind === 'sms'
                  ? `${created.name} added. We texted a 6-digit code to ${created.target}: enter it on its card above.`
                  : created.secretSet
                  ? `${created.name} added. Its ${KINDS[created.kind].secret?.label.toLowerCase() ?? 'secret'} is stored encrypted and will not be shown again. Send it a test from its card above.`
                  : `${created.name} added. Send it a test from its card above.`}
            </p>
          )
        )
      }
      onSubmit={submit(async (v) => {
        setCreated(null);
        const target = v.target.trim();
        const secret = KINDS[v.kind].secret ? v.secret.trim() : '';
        const c = await api.contacts.create.mutate({ kind: v.kind, name: v.name.trim(), ...(target ? { target } : {}), ...(secret ? { secret } : {}) });
        await queryClient.invalidateQueries({ queryKey: ['contacts'] });
        // Its code was texted: one more SMS of the month's allowance.
        if (c.kind === 'sms') await queryClient.invalidateQueries({ queryKey: usageQuery.queryKey });
        form.reset({ kind: v.kind, name: '', target: '', secret: '' });
        setCreated({ id: c.id, name: c.name, kind: c.kind, target: c.target, signingSecret: c.signingSecret, secretSet: c.secretSet });
      })}
    >
      <fieldset className="choices" aria-describedby={kindError ? 'new-contact-kind-error' : undefined} aria-invalid={kindError ? true : undefined}>
        <legend>Where should alerts go?</legend>
        {(Object.keys(KINDS) as ContactKind[]).map((key) => (
          <label key={key} className="choice">
            <input type="radio" value={key} {...form.register('kind')} />
            {KINDS[key].label}
          </label>
        ))}
        {/* A kind the plan does not include (SMS on Free) is refused here. */}
        {kindError && (
          <p className="field-error" id="new-contact-kind-error">
            {kindError}
          </p>
        )}
      </fieldset>
      {kind === 'sms' && <SmsAllowanceNow />}
      <Field {...form.register('name')} label="Name" hint="How the contact appears in lists and the delivery log." required error={errorOf(form, 'name')} />
      <Field
        {...form.register('target')}
        label={k.target}
        hint={k.hint}
        type={kind === 'email' ? 'email' : k.inputMode === 'url' ? 'url' : k.inputMode === 'tel' ? 'tel' : 'text'}
        inputMode={k.inputMode}
        autoComplete={kind === 'email' ? 'email' : k.inputMode === 'tel' ? 'tel' : 'off'}
        required={!k.optional}
        error={errorOf(form, 'target')}
      />
      {k.secret && (
        <Field
          {...form.register('secret')}
          label={k.secret.required ? k.secret.label : `${k.secret.label} (optional)`}
          hint={`${k.secret.hint} Stored encrypted; it will not be shown again.`}
          type="password"
          autoComplete="off"
          spellCheck={false}
          required={k.secret.required}
          error={errorOf(form, 'secret')}
        />
      )}
      <Submit sending={form.formState.isSubmitting} busy="Adding…">
        Add contact
      </Submit>
    </PanelForm>
  );
}
