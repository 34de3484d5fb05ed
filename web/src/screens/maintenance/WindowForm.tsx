import { useQueryClient } from '@tanstack/react-query';
import * as z from 'zod';
import { maintenanceInput } from '../../../../src/maintenance/schemas';
import { api } from '../../api/client';
import { errorOf, useApiForm } from '../../forms/useApiForm';
import { SaveOrCancel } from '../../ui/EditableList';
import { Field } from '../../ui/Field';
import { MonitorPicker } from '../../ui/MonitorPicker';
import { PanelForm } from '../../ui/PanelForm';
import { browserTimeZone, fromLocalInput, toLocalInput, WEEKDAYS, type Window } from './window-format';

type Values = {
  name: string;
  kind: 'once' | 'weekly';
  startsAt: string;
  endsAt: string;
  weekday: string;
  startTime: string;
  durationMinutes: string;
  timeZone: string;
  scope: 'all' | 'some';
  monitorIds: string[];
};

/** What the form's values say, as the API's input. */
function toInput(v: Values): z.input<typeof maintenanceInput> {
  const common = { name: v.name.trim(), monitorIds: v.scope === 'all' ? ('all' as const) : v.monitorIds };
  return v.kind === 'once'
    ? { ...common, startsAt: fromLocalInput(v.startsAt), endsAt: fromLocalInput(v.endsAt) }
    : { ...common, weekday: Number(v.weekday), startTime: v.startTime, durationMinutes: Number(v.durationMinutes), timeZone: v.timeZone.trim() };
}

/**
 * The values checked by the server's own schema, converted first. The schema is a union (one-off
 * or weekly), so its issues are read from the branch of the kind the person chose, and each is
 * put beside its field in the server's wording.
 */
const values = z.custom<Values>().superRefine((v, ctx) => {
  const result = maintenanceInput.safeParse(toInput(v));
  if (result.success) return;
  const branch = v.kind === 'once' ? 0 : 1;
  for (const issue of result.error.issues) {
    const issues = issue.code === 'invalid_union' ? (issue.errors[branch] ?? []) : [issue];
    for (const i of issues) ctx.addIssue({ code: 'custom', path: i.path.slice(0, 1), message: i.message });
  }
});

function defaultsOf(w: Window | null): Values {
  return {
    name: w?.name ?? '',
    kind: w?.kind ?? 'once',
    startsAt: toLocalInput(w?.startsAt ?? null),
    endsAt: toLocalInput(w?.endsAt ?? null),
    weekday: String(w?.weekday ?? 0),
    startTime: w?.startTime ?? '02:00',
    durationMinutes: String(w?.durationMinutes ?? 60),
    timeZone: w?.timeZone ?? browserTimeZone(),
    scope: !w || w.monitorIds === 'all' ? 'all' : 'some',
    monitorIds: w && w.monitorIds !== 'all' ? w.monitorIds : [],
  };
}

const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** Creates a window, or replaces the definition of the one being edited. */
export function WindowForm({ editing, onDone, onCancel }: { editing: Window | null; onDone: (w: Window, verb: string) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const { form, problem, problemRef, submit } = useApiForm(values, defaultsOf(editing));
  const kind = form.watch('kind');
  const scope = form.watch('scope');
  const chosen = form.watch('monitorIds');
  return (
    <PanelForm
      headingId="window-form"
      title={editing ? `Edit ${editing.name}` : 'Add a maintenance window'}
      problem={problem}
      problemRef={problemRef}
      onSubmit={submit(async (v) => {
        const input = toInput(v);
        const saved = editing ? await api.maintenance.update.mutate({ id: editing.id, window: input }) : await api.maintenance.create.mutate(input);
        await queryClient.invalidateQueries({ queryKey: ['maintenance'] });
        await queryClient.invalidateQueries({ queryKey: ['monitors'] });
        onDone(saved, editing ? 'saved' : 'added');
      })}
    >
      <Field {...form.register('name')} label="Name" hint="For example: Database upgrade." required error={errorOf(form, 'name')} />
      <fieldset className="choices">
        <legend>When</legend>
        <label className="choice">
          <input type="radio" value="once" {...form.register('kind')} />
          Once
        </label>
        <label className="choice">
          <input type="radio" value="weekly" {...form.register('kind')} />
          Every week
        </label>
      </fieldset>
      {kind === 'once' ? (
        <div className="pair">
          <Field {...form.register('startsAt')} label="Starts" type="datetime-local" hint={`In your time zone (${browserTimeZone()}).`} required error={errorOf(form, 'startsAt')} />
          <Field {...form.register('endsAt')} label="Ends" type="datetime-local" required error={errorOf(form, 'endsAt')} />
        </div>
      ) : (
        <>
          <div className="pair">
            <div className="field">
              <label htmlFor="window-weekday">Day</label>
              <select id="window-weekday" {...form.register('weekday')}>
                {WEEKDAYS.map((day, i) => (
                  <option key={day} value={i}>
                    {day}
                  </option>
                ))}
              </select>
            </div>
            <Field {...form.register('startTime')} label="Starts at" type="time" required error={errorOf(form, 'startTime')} />
          </div>
          <div className="pair">
            <Field {...form.register('durationMinutes')} label="Lasts (minutes)" type="number" inputMode="numeric" min={1} required error={errorOf(form, 'durationMinutes')} />
            <Field {...form.register('timeZone')} label="Time zone" list="time-zones" autoComplete="off" hint="An IANA zone, e.g. Europe/Paris." required error={errorOf(form, 'timeZone')} />
          </div>
          <datalist id="time-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </>
      )}
      <fieldset className="choices">
        <legend>Which monitors</legend>
        <label className="choice">
          <input type="radio" value="all" {...form.register('scope')} />
          All monitors, present and future
        </label>
        <label className="choice">
          <input type="radio" value="some" {...form.register('scope')} />
          Only the ones I choose
        </label>
      </fieldset>
      {scope === 'some' && (
        <MonitorPicker legend="Monitors in this window" chosen={chosen} onChange={(ids) => form.setValue('monitorIds', ids, { shouldDirty: true })} error={errorOf(form, 'monitorIds')} />
      )}
      <p className="hint">During a window checks still run and are recorded, but no incident is opened, no alert is sent and no downtime is counted.</p>
      <SaveOrCancel sending={form.formState.isSubmitting} editing={editing !== null} save="Save window" add="Add window" onCancel={onCancel} />
    </PanelForm>
  );
}
