import type { FormEventHandler, ReactNode, Ref } from 'react';
import type { Problem } from '../api/errors';
import { ProblemNotice } from './Problem';

/**
 * A form in a panel of its own, named by its heading: the heading (`headingId`, which a screen
 * focuses when the form opens for an edit), what the last submit brought (`news`), the form's
 * ProblemNotice, then its fields. The server's checks decide, so the browser's own do not speak.
 */
export function PanelForm({
  headingId,
  title,
  onSubmit,
  problem,
  problemRef,
  news,
  children,
}: {
  headingId: string;
  title: string;
  onSubmit: FormEventHandler<HTMLFormElement>;
  problem: Problem | null;
  problemRef: Ref<HTMLDivElement>;
  news?: ReactNode;
  children: ReactNode;
}) {
  return (
    <form className="panel" aria-labelledby={headingId} noValidate onSubmit={onSubmit}>
      <h2 id={headingId} tabIndex={-1}>
        {title}
      </h2>
      {news}
      <ProblemNotice problem={problem} ref={problemRef} />
      {children}
    </form>
  );
}
