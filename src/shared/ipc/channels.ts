import { contract, eventContract, type EventChannel, type InvokeChannel } from './contract';

export type { EventChannel, InvokeChannel } from './contract';

/** Every invoke channel, derived from the contract map in its order (object keys keep insertion order). */
export const INVOKE_CHANNELS: readonly InvokeChannel[] = Object.freeze(Object.keys(contract) as InvokeChannel[]);

/** Events pushed from the core to every connected window, derived from the event map. */
export const EVENT_CHANNELS: readonly EventChannel[] = Object.freeze(Object.keys(eventContract) as EventChannel[]);
