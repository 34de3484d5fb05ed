import { useQueryClient } from '@tanstack/react-query';
import { createClientInput } from '../../../../src/oauth/schemas';
import { api } from '../../api/client';
import { errorOf, useApiForm } from '../../forms/useApiForm';
import { Field, Submit } from '../../ui/Field';
import { ProblemNotice } from '../../ui/Problem';
import { ShownOnce } from '../../ui/ShownOnce';

export type Created = Awaited<ReturnType<typeof api.oauthClients.create.mutate>>;

/** Creates a client; its secret is in the answer this once (the server keeps only a hash). */
export function NewClient({ created, onCreated }: { created: Created | null; onCreated: (c: Created) => void }) {
  const queryClient = useQueryClient();
  const { form, problem, problemRef, submit } = useApiForm(createClientInput, { name: '' });
  return (
    <section className="panel" aria-labelledby="new-client-heading">
      <h2 id="new-client-heading">New API client</h2>
      {created && (
        <ShownOnce
          key={created.clientId}
          title={`Client “${created.name}” created`}
          label="Client secret"
          value={created.clientSecret}
          lost="If it is lost, revoke this client and create another."
        >
          <p>
            Client ID: <code>{created.clientId}</code>
          </p>
        </ShownOnce>
      )}
      <form
        noValidate
        onSubmit={submit(async (values) => {
          const c = await api.oauthClients.create.mutate(values);
          form.reset();
          onCreated(c);
          await queryClient.invalidateQueries({ queryKey: ['oauthClients'] });
        })}
      >
        <ProblemNotice problem={problem} ref={problemRef} />
        <Field {...form.register('name')} label="Name" hint="What the client is for, such as “Grafana” or “deploy script”." required error={errorOf(form, 'name')} />
        <Submit sending={form.formState.isSubmitting} busy="Creating…">
          Create client
        </Submit>
      </form>
    </section>
  );
}
