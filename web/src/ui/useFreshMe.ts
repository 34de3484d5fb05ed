import { useQuery } from '@tanstack/react-query';
import { meQuery } from '../api/query';

/**
 * The signed-in person as of now: read again when a screen that hides controls by role opens,
 * since the role may have changed since the app last asked (the cached answer shows meanwhile).
 */
export function useFreshMe() {
  return useQuery({ ...meQuery, staleTime: 0 }).data;
}
