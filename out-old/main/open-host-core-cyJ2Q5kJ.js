export { t as moveKeyToKeychain, n as openHostCore, r as prepareHost } from "./open-host-core-5apzlbHm.js";
