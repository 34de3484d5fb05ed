import { useQueryClient } from '@tanstack/react-query';
import * as z from 'zod';
import { api } from '../../api/client';
import { errorOf, useApiForm } from '../../forms/useApiForm';
import { SaveOrCancel } from '../../ui/EditableList';
import { Field, TextAreaField } from '../../ui/Field';
import { MonitorPicker } from '../../ui/MonitorPicker';
import { PanelForm } from '../../ui/PanelForm';
import type { StatusPage } from './StatusPages';

type Values = { title: string; slug: string; description: string; showUrls: boolean; showReasons: boolean; frameAncestors: string; monitors: string[] };
/** The server validates (its schema reaches the database's enums, which stay out of the bundle); its refusals show beside the fields. */
const values = z.custom<Values>();

function defaultsOf(p: StatusPage | null): Values {
  return {
    title: p?.title ?? '',
    slug: p?.slug ?? '',
    description: p?.description ?? '',
    showUrls: p?.showUrls ?? false,
    showReasons: p?.showReasons ?? false,
    frameAncestors: p?.frameAncestors.join('\n') ?? '',
    monitors: p?.monitors.map((m) => m.monitorId) ?? [],
  };
}

/** Creates a status page, or changes the one being edited (a monitor's display name is kept). */
export function PageForm({ editing, onDone, onCancel }: { editing: StatusPage | null; onDone: (p: StatusPage, verb: string) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const { form, problem, problemRef, submit } = useApiForm(values, defaultsOf(editing));
  const chosen = form.watch('monitors');
  const display = new Map(editing?.monitors.map((m) => [m.monitorId, m.displayName]) ?? []);
  return (
    <PanelForm
      headingId="page-form"
      title={editing ? `Edit ${editing.title}` : 'Create a status page'}
      problem={problem}
      problemRef={problemRef}
      onSubmit={submit(async (v) => {
        const fields = {
          title: v.title.trim(),
          slug: v.slug.trim(),
          description: v.description.trim() || null,
          showUrls: v.showUrls,
          showReasons: v.showReasons,
          frameAncestors: v.frameAncestors.split(/\s+/).filter(Boolean),
          monitors: v.monitors.map((monitorId) => ({ monitorId, displayName: display.get(monitorId) ?? null })),
        };
        const saved = await (editing ? api.statusPages.update.mutate({ id: editing.id, ...fields }) : api.statusPages.create.mutate(fields));
        await queryClient.invalidateQueries({ queryKey: ['statusPages'] });
        onDone(saved, editing ? 'saved' : 'created');
      })}
    >
      <Field {...form.register('title')} label="Title" hint="Shown at the top of the page, e.g. Acme status." required error={errorOf(form, 'title')} />
      <Field
        {...form.register('slug')}
        label="Address"
        hint="3 to 40 lower-case letters, digits and hyphens: the page is /status/<address>."
        autoComplete="off"
        spellCheck={false}
        required
        error={errorOf(form, 'slug')}
      />
      <TextAreaField label="Description (optional)" error={errorOf(form, 'description')} {...form.register('description')} />
      <MonitorPicker legend="Monitors on the page" chosen={chosen} onChange={(ids) => form.setValue('monitors', ids, { shouldDirty: true })} error={errorOf(form, 'monitors')} />
      <fieldset className="choices">
        <legend>What visitors see</legend>
        <label className="choice">
          <input type="checkbox" {...form.register('showUrls')} />
          Each monitor’s URL
        </label>
        <label className="choice">
          <input type="checkbox" {...form.register('showReasons')} />
          Why a monitor is down, and why each incident happened
        </label>
      </fieldset>
      <TextAreaField
        label="Sites that may embed the page (optional)"
        hint="One origin per line, e.g. https://www.example.com. None by default."
        error={errorOf(form, 'frameAncestors')}
        {...form.register('frameAncestors')}
      />
      <SaveOrCancel sending={form.formState.isSubmitting} editing={editing !== null} save="Save page" add="Create page" onCancel={onCancel} />
    </PanelForm>
  );
}
