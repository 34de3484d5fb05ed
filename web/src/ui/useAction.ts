import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';

/**
 * A button's action on one item (revoke, remove, change a role): on success the area's cached
 * reads are refreshed; on failure the item's ProblemNotice (`problemRef`) takes the focus.
 */
export function useAction<T, V = void>(area: string, action: (vars: V) => Promise<T>, onDone?: (result: T) => void) {
  const queryClient = useQueryClient();
  const problemRef = useRef<HTMLDivElement>(null);
  const mutation = useMutation({
    mutationFn: action,
    onSuccess: async (result) => {
      onDone?.(result);
      await queryClient.invalidateQueries({ queryKey: [area] });
    },
    onError: () => requestAnimationFrame(() => problemRef.current?.focus()),
  });
  return { mutation, problemRef };
}
