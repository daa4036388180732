export { s as sealHeaderWithLibrary } from "./age-header-BcK9wPf-.js";
