import "./age-keys-D2ex8Gsc.js";
import "./age-encrypt-stream-CzwatCTS.js";
export { t as createAgeDecryptStream } from "./age-stream-C-V3jTUu.js";
