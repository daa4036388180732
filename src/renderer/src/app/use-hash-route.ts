import { useCallback, useEffect, useState } from 'react';
import { locationFromHash, routeParam, type AppLocation, type RouteId } from './routes';

function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = (): void => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

/**
 * The page lives in the URL hash: a reload keeps it, and hash changes are in-page navigation,
 * which the Electron window allows while it refuses every real navigation.
 */
export function useHashRoute(): [AppLocation, (route: RouteId) => void] {
  const route = locationFromHash(useHash());
  const go = useCallback((next: RouteId) => {
    window.location.hash = `#/${next}`;
  }, []);
  return [route, go];
}

/** The second part of the hash (`#/runs/<id>`), for pages that open one item in detail. */
export function useRouteParam(): string | null {
  return routeParam(useHash());
}
