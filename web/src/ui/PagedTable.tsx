import { useRef, type ReactNode } from 'react';
import { toProblem } from '../api/errors';
import type { CursorPages } from './useCursorPages';
import { ProblemNotice } from './Problem';

/** A column: its heading, also the label each cell shows in the narrow layout (`data-label`). */
export type Column<T> = { label: string; wrap?: boolean; cell: (item: T) => ReactNode };

/**
 * A log read a page at a time (audit entries, deliveries): what failed, that it is loading, what
 * to do when it is empty, its table, and a button for older pages that moves focus to the first
 * row it added, so a keyboard or screen-reader user goes on reading from there.
 */
export function PagedTable<T extends { id: string }>({
  pages,
  columns,
  className,
  what,
  empty,
}: {
  pages: CursorPages<T>;
  columns: Column<T>[];
  className: string;
  /** What the rows are, in the plural ("deliveries"): "Loading deliveries…", "Show older deliveries". */
  what: string;
  empty: ReactNode;
}) {
  const firstNew = useRef<HTMLTableRowElement>(null);
  const shownBefore = useRef(0);
  const { items } = pages;
  return (
    <>
      {pages.isError && <ProblemNotice problem={toProblem(pages.error)} />}
      {pages.isPending && pages.fetchStatus !== 'idle' && <p aria-busy="true">Loading {what}…</p>}
      {pages.data && items.length === 0 && <p>{empty}</p>}
      {items.length > 0 && (
        <table className={`monitors ${className}`}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" key={c.label}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => {
              const isFirstNew = i > 0 && i === shownBefore.current;
              return (
                <tr key={item.id} ref={isFirstNew ? firstNew : undefined} tabIndex={isFirstNew ? -1 : undefined}>
                  {columns.map((c) => (
                    <td data-label={c.label} key={c.label} className={c.wrap ? 'wrap' : undefined}>
                      {c.cell(item)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {pages.hasNextPage && (
        <p>
          <button
            type="button"
            disabled={pages.isFetchingNextPage}
            aria-busy={pages.isFetchingNextPage || undefined}
            onClick={async () => {
              shownBefore.current = items.length;
              await pages.fetchNextPage();
              requestAnimationFrame(() => firstNew.current?.focus());
            }}
          >
            {pages.isFetchingNextPage ? 'Loading…' : `Show older ${what}`}
          </button>
        </p>
      )}
    </>
  );
}
