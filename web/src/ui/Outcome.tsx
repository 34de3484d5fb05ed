import type { ReactNode } from 'react';
import { focusOnMount } from './focus';

/** What a flow ended in (done, or a link that cannot work): a heading that takes focus, so a screen reader announces it, and what to do next. */
export function Outcome({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <h1 tabIndex={-1} ref={focusOnMount}>
        {title}
      </h1>
      {children}
    </>
  );
}
