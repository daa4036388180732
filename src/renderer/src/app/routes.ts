export type RouteId = 'home' | 'sources' | 'destinations' | 'jobs' | 'runs' | 'backups' | 'recovery' | 'settings';

export interface NavItem {
  id: RouteId;
  label: string;
  description: string;
  /** Shown in the navigation but not selectable yet, with the reason as a tooltip (a command in backticks is shown as code). */
  unavailable?: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'home', label: 'Home', description: 'How every job is doing' },
  { id: 'sources', label: 'Sources', description: 'Databases to back up' },
  { id: 'destinations', label: 'Destinations', description: 'Where backups are stored' },
  { id: 'jobs', label: 'Jobs', description: 'What runs, where and when' },
  { id: 'runs', label: 'Runs', description: 'What ran, and how it went' },
  { id: 'backups', label: 'Backups', description: 'Stored backups: verify, restore' },
  { id: 'recovery', label: 'Recovery', description: 'Restores, recovery kit, decryption' },
  { id: 'settings', label: 'Settings', description: 'Master key, environments, encryption' },
];

export const DEFAULT_ROUTE: RouteId = 'home';

/** What the hash opens: a page, or a page that does not exist (or is not available yet). */
export type AppLocation = { page: RouteId } | { page: 'not-found'; hash: string; unavailable: NavItem | null };

function segments(hash: string): string[] {
  return hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
}

/**
 * `#/destinations` -> the Destinations page; an empty hash -> Home. Anything else is said to be
 * missing rather than quietly showing another page, and a page that is listed but not available
 * yet says why.
 */
export function locationFromHash(hash: string): AppLocation {
  const id = segments(hash)[0] ?? '';
  if (id === '') return { page: DEFAULT_ROUTE };
  const item = NAV_ITEMS.find((n) => n.id === id);
  if (item && !item.unavailable) return { page: item.id };
  return { page: 'not-found', hash, unavailable: item ?? null };
}

/** `#/runs/<id>` -> `<id>`: the item a page shows in detail, or null. */
export function routeParam(hash: string): string | null {
  const param = segments(hash)[1];
  return param ? decodeURIComponent(param) : null;
}

/** The hash that opens one item of a page (a run's detail). */
export function hashFor(route: RouteId, param?: string): string {
  return param ? `#/${route}/${encodeURIComponent(param)}` : `#/${route}`;
}
