export { t as HIGH_WATER_MARK, n as asAppError, r as createAgeEncryptStream } from "./age-encrypt-stream-CzwatCTS.js";
