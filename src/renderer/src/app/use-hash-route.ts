import { useCallback, useEffect, useState } from 'react';
import { routeFromHash, type RouteId } from './routes';

/**
 * The page lives in the URL hash: a reload keeps it, and hash changes are in-page navigation,
 * which the Electron window allows while it refuses every real navigation.
 */
export function useHashRoute(): [RouteId, (route: RouteId) => void] {
  const [route, setRoute] = useState<RouteId>(() => routeFromHash(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(routeFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const go = useCallback((next: RouteId) => {
    window.location.hash = `#/${next}`;
  }, []);
  return [route, go];
}
