import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useRef, useState, type ComponentProps } from 'react';
import { Controller, useFieldArray, type Path, type UseFormReturn } from 'react-hook-form';
import { api } from '../../api/client';
import { toProblem } from '../../api/errors';
import { errorOf, useApiForm } from '../../forms/useApiForm';
import { CheckField, Field, SelectField, Submit, TextAreaField } from '../../ui/Field';
import { focusOnMount } from '../../ui/focus';
import { ProblemNotice } from '../../ui/Problem';
import { createMonitorInput, KEYWORD_MODES, METHODS, updateInputOf, type Kind } from './schema';
import { alertDelayChoices, duration, intervalChoices, reminderChoices } from './intervals';
import { blankValues, fieldOf, savedValues, toCreateInput, toUpdateInput, type Credential, type MonitorFormValues, type SavedMonitor } from './values';

type Contact = Awaited<ReturnType<typeof api.contacts.list.query>>[number];
type Form = UseFormReturn<MonitorFormValues>;

const KINDS: { kind: Kind; label: string; hint: string }[] = [
  { kind: 'http', label: 'Website or API (HTTP)', hint: 'Vigil requests the URL and expects a 2xx or 3xx answer.' },
  { kind: 'tcp', label: 'Server port (TCP)', hint: 'Vigil opens a connection to the host and port.' },
  { kind: 'heartbeat', label: 'Cron job (heartbeat)', hint: 'Your job calls a URL that Vigil gives you; no call in time means down.' },
];
const KEYWORD_MODE_WORDS: Record<(typeof KEYWORD_MODES)[number], string> = { present: 'must appear in the response', absent: 'must not appear in the response' };

/**
 * Adds a monitor (no `monitor`) or edits one: every setting its kind has. The plan's limits and the
 * account's contacts are read first, so only the intervals the plan allows are offered and every
 * contact can be picked. `onCreated` gets the new monitor's ping URL when it is a heartbeat.
 */
export function MonitorForm({ monitor, onCreated }: { monitor?: SavedMonitor; onCreated?: (pingUrl: string) => void }) {
  const account = useQuery({ queryKey: ['account', 'get'], queryFn: () => api.account.get.query() });
  const contacts = useQuery({ queryKey: ['contacts', 'list'], queryFn: () => api.contacts.list.query() });
  const failed = account.error ?? contacts.error;
  if (failed) return <ProblemNotice problem={toProblem(failed)} />;
  if (!account.data || !contacts.data) return <p aria-busy="true">Loading…</p>;
  return (
    <LoadedForm
      monitor={monitor}
      onCreated={onCreated}
      plan={{
        label: account.data.limits.label,
        minIntervalSeconds: account.data.limits.minIntervalSeconds,
        maxRegions: account.data.limits.maxRegions,
        checkRegions: account.data.checkRegions,
      }}
      contacts={contacts.data}
    />
  );
}

type Plan = { label: string; minIntervalSeconds: number; maxRegions: number; checkRegions: string[] };

function LoadedForm({ monitor, onCreated, plan, contacts }: { monitor: SavedMonitor | undefined; onCreated: ((pingUrl: string) => void) | undefined; plan: Plan; contacts: Contact[] }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // What the edit is compared with: the monitor as last saved (it changes when a save drops credentials).
  const home = plan.checkRegions[0]!;
  const saved = useRef(monitor ? savedValues(monitor, home) : null);
  const [clearedCredential, setClearedCredential] = useState<'basic' | 'bearer' | null>(null);
  const { form, problem, problemRef, submit } = useApiForm<MonitorFormValues>(
    monitor
      ? { schema: updateInputOf(monitor.kind), toInput: (v) => toUpdateInput(monitor.id, v, saved.current!), fieldOf }
      : { schema: createMonitorInput, toInput: toCreateInput, fieldOf },
    saved.current ?? blankValues(plan.minIntervalSeconds, contacts.map((c) => c.id), home),
  );
  const kind = form.watch('kind');
  const err = (name: Path<MonitorFormValues>) => errorOf(form, name);

  const onSubmit = submit(async (values) => {
    if (!monitor) {
      // The resolver has checked this input with createMonitorInput, the server's own schema.
      const created = await api.monitors.create.mutate(toCreateInput(values) as Parameters<typeof api.monitors.create.mutate>[0]);
      await queryClient.invalidateQueries({ queryKey: ['monitors'] });
      if (created.pingUrl && onCreated) onCreated(created.pingUrl);
      else await navigate({ to: '/' });
      return;
    }
    // Checked by the resolver with updateInputOf(kind), the server's own schema for this kind.
    const input = toUpdateInput(monitor.id, values, saved.current!) as Parameters<typeof api.monitors.update.mutate>[0];
    const updated = await api.monitors.update.mutate(input);
    await queryClient.invalidateQueries({ queryKey: ['monitors'] });
    if (updated.credentialsCleared && monitor.auth) {
      // The URL moved to another origin: the server dropped the credentials rather than send them
      // there. Ask for them again, the rest of the edit being saved.
      saved.current = savedValues(updated, home);
      form.reset({ ...saved.current, credential: monitor.auth.type });
      setClearedCredential(monitor.auth.type);
      return;
    }
    await navigate({ to: '/monitors/$monitorId', params: { monitorId: monitor.id } });
  });

  return (
    <form className="monitor-form" noValidate onSubmit={(e) => void onSubmit(e)}>
      <ProblemNotice problem={problem} ref={problemRef} />
      {clearedCredential && (
        <div className="problem" role="alert" tabIndex={-1} ref={focusOnMount}>
          <p className="problem-title">Credentials removed</p>
          <p>
            Your other changes are saved. The URL now points to another site, so Vigil removed the stored {clearedCredential === 'basic' ? 'username and password' : 'bearer token'} rather
            than send them there. Enter them again below if the new address needs them, then save.
          </p>
        </div>
      )}
      {monitor ? (
        <p>
          Kind: <strong>{KINDS.find((k) => k.kind === monitor.kind)?.label}</strong> (a monitor keeps its kind).
        </p>
      ) : (
        <fieldset className="kinds">
          <legend>What should Vigil watch?</legend>
          {KINDS.map((k) => (
            <label key={k.kind} className="kind">
              <input type="radio" value={k.kind} {...form.register('kind')} />
              <span>
                <strong>{k.label}</strong>
                <span className="hint">{k.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <Field {...form.register('name')} label="Name" hint="How it appears in alerts and on status pages." required error={err('name')} />
      {kind === 'http' && <Field {...form.register('url')} label="URL" type="url" inputMode="url" placeholder="https://example.com/health" required error={err('url')} />}
      {kind === 'tcp' && (
        <div className="pair">
          <Field {...form.register('host')} label="Host" placeholder="db.example.com" required error={err('host')} />
          <NumberField form={form} name="port" label="Port" min={1} max={65535} required />
        </div>
      )}
      <SelectField
        {...form.register('intervalSeconds')}
        label={kind === 'heartbeat' ? 'Expect a ping every' : 'Check every'}
        hint={`Your ${plan.label} plan checks every ${duration(plan.minIntervalSeconds)} at the shortest.`}
        options={intervalChoices(plan.minIntervalSeconds, monitor?.intervalSeconds)}
        error={err('intervalSeconds')}
      />
      {kind === 'heartbeat' && (
        <NumberField form={form} name="graceSeconds" label="Grace (seconds)" min={0} hint="How late a ping may be before the monitor counts as down." />
      )}
      {kind === 'http' && <HttpSettings form={form} savedCredential={monitor && !clearedCredential ? (monitor.auth?.type ?? null) : null} requestHidden={monitor?.requestHidden ?? false} />}
      {kind === 'tcp' && <Timeout form={form} />}
      {kind !== 'heartbeat' && plan.checkRegions.length > 1 && <RegionChoice form={form} plan={plan} />}
      <fieldset>
        <legend>Labels and alerts</legend>
        <Field {...form.register('tags')} label="Tags" hint="Separated by commas, e.g. production, api. The dashboard filters by them." error={err('tags')} />
        <ContactChoice form={form} contacts={contacts} />
        <SelectField
          {...form.register('alertAfterSeconds')}
          label="Alert"
          hint="Wait this long into an incident before alerting: one that ends sooner alerts no one, neither down nor up."
          options={alertDelayChoices(monitor?.alertAfterSeconds)}
          error={err('alertAfterSeconds')}
        />
        <SelectField
          {...form.register('remindEverySeconds')}
          label="Remind"
          hint="While the monitor stays down, alert again this often."
          options={reminderChoices(monitor?.remindEverySeconds)}
          error={err('remindEverySeconds')}
        />
      </fieldset>
      <CheckField {...form.register('paused')} label="Paused" hint="A paused monitor is not checked and sends no alerts." />
      <Submit sending={form.formState.isSubmitting} busy={monitor ? 'Saving…' : 'Adding…'}>
        {monitor ? 'Save changes' : 'Add monitor'}
      </Submit>
    </form>
  );
}

/** An HTTP monitor's request (method, headers, body, credentials) and what counts as up. */
function HttpSettings({ form, savedCredential, requestHidden }: { form: Form; savedCredential: 'basic' | 'bearer' | null; requestHidden: boolean }) {
  const method = form.watch('method');
  const err = (name: Path<MonitorFormValues>) => errorOf(form, name);
  return (
    <>
      <fieldset>
        <legend>Request</legend>
        {requestHidden && <p className="hint">Header values and the body are hidden from your role; only editors see and change them.</p>}
        <SelectField {...form.register('method')} label="Method" options={METHODS.map((m) => [m, m] as const)} error={err('method')} />
        <Headers form={form} />
        {method === 'POST' && <TextAreaField {...form.register('body')} label="Body" hint="Sent with each POST, at most 8 KiB." rows={4} error={err('body')} />}
        <Credentials form={form} saved={savedCredential} />
      </fieldset>
      <fieldset>
        <legend>What counts as up</legend>
        <Field {...form.register('expectedStatusCodes')} label="Expected status codes" placeholder="200-399" hint="Codes and ranges, e.g. 200-299,301. Empty: any 2xx or 3xx." error={err('expectedStatusCodes')} />
        <Field {...form.register('keyword')} label="Keyword" hint="Optional: a word the response body is searched for." error={err('keyword')} />
        <div className="pair">
          <SelectField {...form.register('keywordMode')} label="The keyword" options={KEYWORD_MODES.map((m) => [m, KEYWORD_MODE_WORDS[m]] as const)} error={err('keywordMode')} />
          <CheckField {...form.register('keywordCaseSensitive')} label="Match case" />
        </div>
        <NumberField form={form} name="degradedAboveMs" label="Degraded above (ms)" min={1} hint="An answer slower than this counts as degraded, not up. Empty: never." />
        <Timeout form={form} />
      </fieldset>
    </>
  );
}

function Timeout({ form }: { form: Form }) {
  return <NumberField form={form} name="timeoutMs" label="Timeout (ms)" min={1000} max={30000} step={1000} hint="No answer within this counts as down; 1000 to 30000." />;
}

/** A whole number, kept as typed in the values (the schema reads it, and names it when it is not one). */
function NumberField({ form, name, ...field }: { form: Form; name: Path<MonitorFormValues> } & Omit<ComponentProps<typeof Field>, 'name' | 'form'>) {
  return <Field {...form.register(name)} type="number" inputMode="numeric" error={errorOf(form, name)} {...field} />;
}

/** Request headers as rows, added and removed one at a time; an error shows beside its row. */
function Headers({ form }: { form: Form }) {
  const rows = useFieldArray({ control: form.control, name: 'headers' });
  const addRef = useRef<HTMLButtonElement>(null);
  return (
    <div className="headers">
      <p className="label" id="headers-label">
        Headers
      </p>
      {errorOf(form, 'headers') && <p className="field-error">{errorOf(form, 'headers')}</p>}
      {rows.fields.length === 0 && <p className="hint">No extra headers. Credentials go below, stored encrypted, not in a header.</p>}
      {rows.fields.map((row, i) => (
        <div className="header-row" key={row.id} role="group" aria-label={`Header ${i + 1}`}>
          <Field {...form.register(`headers.${i}.name`)} label={`Header ${i + 1} name`} placeholder="X-Api-Key" autoComplete="off" error={errorOf(form, `headers.${i}.name`)} />
          <Field {...form.register(`headers.${i}.value`)} label={`Header ${i + 1} value`} autoComplete="off" error={errorOf(form, `headers.${i}.value`)} />
          <button
            type="button"
            onClick={() => {
              rows.remove(i);
              addRef.current?.focus();
            }}
          >
            Remove header {i + 1}
          </button>
        </div>
      ))}
      <button type="button" ref={addRef} onClick={() => rows.append({ name: '', value: '' }, { shouldFocus: true })}>
        Add a header
      </button>
    </div>
  );
}

/**
 * The target's credentials, write-only: a stored one is never shown or sent back. With one stored
 * the person keeps, replaces or removes it; the server seals what is entered.
 */
function Credentials({ form, saved }: { form: Form; saved: 'basic' | 'bearer' | null }) {
  const choice = form.watch('credential');
  const choices: [Credential, string][] = saved
    ? [
        ['keep', 'Keep it'],
        ['basic', 'Replace with a username and password'],
        ['bearer', 'Replace with a bearer token'],
        ['none', 'Remove it'],
      ]
    : [
        ['none', 'None'],
        ['basic', 'Username and password (basic)'],
        ['bearer', 'Bearer token'],
      ];
  return (
    <>
      <fieldset className="choices">
        <legend>Credentials</legend>
        {saved && <p className="hint">A {saved === 'basic' ? 'username and password are' : 'bearer token is'} set. Vigil never shows them again.</p>}
        {choices.map(([value, words]) => (
          <label key={value} className="choice">
            <input type="radio" value={value} {...form.register('credential')} />
            <span>{words}</span>
          </label>
        ))}
        {errorOf(form, 'credential') && <p className="field-error">{errorOf(form, 'credential')}</p>}
      </fieldset>
      {choice === 'basic' && (
        <div className="pair">
          <Field {...form.register('username')} label="Username" autoComplete="off" error={errorOf(form, 'username')} />
          <Field {...form.register('password')} label="Password" type="password" autoComplete="new-password" error={errorOf(form, 'password')} />
        </div>
      )}
      {choice === 'bearer' && <Field {...form.register('token')} label="Token" type="password" autoComplete="off" error={errorOf(form, 'token')} />}
    </>
  );
}

/**
 * Where it is checked from: home always, the others as the plan allows, and how many failing
 * regions make it down (a majority unless chosen). Fewer failing regions show it degraded.
 */
function RegionChoice({ form, plan }: { form: Form; plan: Plan }) {
  const chosen = form.watch('regions');
  const allowed = Math.min(plan.maxRegions, plan.checkRegions.length);
  const majority = Math.floor(chosen.length / 2) + 1;
  const quorums: [string, string][] = [['', `A majority (${majority} of ${chosen.length})`], ...chosen.map((_, i) => [String(i + 1), `${i + 1} of ${chosen.length}`] as [string, string])];
  return (
    <fieldset>
      <legend>Regions</legend>
      <CheckboxChoice
        form={form}
        name="regions"
        legend="Check from"
        hint={`Your ${plan.label} plan checks from ${allowed === 1 ? 'one region' : `up to ${allowed} regions`}. A failure is confirmed by the other regions, not by checking again.`}
        options={plan.checkRegions.map((region, i) => ({
          value: region,
          label: i === 0 ? `${region} (home, always)` : region,
          disabled: (on: boolean) => i === 0 || (!on && chosen.length >= allowed),
        }))}
      />
      {chosen.length > 1 && (
        <SelectField {...form.register('failureQuorum')} label="Down when failing in" hint="Fewer failing regions show the monitor degraded, naming them, and page no one." options={quorums} error={errorOf(form, 'failureQuorum')} />
      )}
    </fieldset>
  );
}

type Choice = { value: string; label: string; disabled?: (checked: boolean) => boolean };

/** A list of checkboxes for a list of ids, kept in the options' order; its error below it. */
function CheckboxChoice({ form, name, legend, hint, options }: { form: Form; name: 'regions' | 'alertContactIds'; legend: string; hint?: string; options: Choice[] }) {
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <fieldset className="choices">
          <legend>{legend}</legend>
          {hint && <p className="hint">{hint}</p>}
          {options.map((o, i) => {
            const on = field.value.includes(o.value);
            return (
              <label key={o.value} className="choice">
                <input
                  type="checkbox"
                  ref={i === 0 ? field.ref : undefined}
                  checked={on}
                  disabled={o.disabled?.(on) ?? false}
                  onChange={(e) => field.onChange(options.map((x) => x.value).filter((v) => (v === o.value ? e.target.checked : field.value.includes(v))))}
                  onBlur={field.onBlur}
                />
                <span>{o.label}</span>
              </label>
            );
          })}
          {fieldState.error && <p className="field-error">{fieldState.error.message}</p>}
        </fieldset>
      )}
    />
  );
}

/** Which of the account's contacts this monitor alerts. */
function ContactChoice({ form, contacts }: { form: Form; contacts: Contact[] }) {
  if (contacts.length === 0) {
    return <p className="hint">No alert contacts yet: once the account has some, choose here which this monitor alerts. Until then it alerts none.</p>;
  }
  return (
    <CheckboxChoice
      form={form}
      name="alertContactIds"
      legend="Alert contacts"
      options={contacts.map((c) => ({ value: c.id, label: `${c.name} (${c.kind === 'email' ? c.target : c.kind}${c.status === 'pending' ? ', not verified yet' : ''})` }))}
    />
  );
}
