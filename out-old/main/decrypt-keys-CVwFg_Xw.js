export { t as readKeyFile, n as resolveKeyFiles } from "./decrypt-keys-lJIpFMsR.js";
