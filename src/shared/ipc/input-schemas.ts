import { INVOKE_CHANNELS } from './channels';
import type { InputSchema, InvokeChannel } from './contract';
import { contract } from './contract';
import * as schemas from './schemas';

/** Input schema of every channel, as the contract names it; every host validates with it before a handler runs. */
export const inputSchemas = Object.freeze(Object.fromEntries(INVOKE_CHANNELS.map((channel) => [channel, schemas[contract[channel].input]]))) as {
  readonly [C in InvokeChannel]: InputSchema<C>;
};
