/** Every invoke channel, named `domain:action`. A new feature starts by adding its channel here. */
export const INVOKE_CHANNELS = [
  'app:info',
  'environments:list',
  'environments:create',
  'environments:update',
  'environments:delete',
  'sources:list',
  'sources:get',
  'sources:create',
  'sources:update',
  'sources:delete',
  'sources:test',
  'sources:databases',
  'destinations:list',
  'destinations:get',
  'destinations:create',
  'destinations:update',
  'destinations:delete',
  'destinations:lock',
  'destinations:unlock',
  'destinations:setDefault',
  'destinations:test',
  'destinations:cleanup',
  'profiles:list',
  'profiles:create',
  'profiles:update',
  'profiles:delete',
  'jobs:list',
  'jobs:get',
  'jobs:create',
  'jobs:update',
  'jobs:delete',
  'jobs:run',
  'runs:list',
  'runs:get',
  'runs:cancel',
  'settings:get',
  'settings:setToolPath',
  'keys:status',
  'keys:export',
  'keys:rotate',
] as const;

/** Events pushed from the core to every connected window. */
export const EVENT_CHANNELS = ['config:changed', 'runs:progress', 'runs:finished'] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];
