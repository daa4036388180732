import { useEffect, useRef } from 'react';
import { useLiveQuery, type LiveQuery } from '../../lib/use-live-query';
import { useRunActivity } from './RunActivityProvider';

/**
 * A query that involves runs: loaded like any live query, and again when a run starts
 * elsewhere or finishes, so statuses never lag behind the core.
 */
export function useRunsQuery<T>(load: () => Promise<T>): LiveQuery<T> {
  const query = useLiveQuery(load);
  const { version } = useRunActivity();
  const { reload } = query;
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  return query;
}

/** Reloads a live query when a filter it reads changes (the query keeps its latest loader, so the new filter is in it by then). */
export function useReloadOn<T>(filter: T, reload: () => void): void {
  const shown = useRef(filter);
  useEffect(() => {
    if (Object.is(shown.current, filter)) return;
    shown.current = filter;
    reload();
  }, [filter, reload]);
}
