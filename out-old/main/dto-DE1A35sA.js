// src/shared/domain/dto.ts
/** The database client tools, searched for by name on the PATH and in their install folders. */
var CLIENT_TOOL_NAMES = [
	"pg_dump",
	"pg_dumpall",
	"pg_restore",
	"psql",
	"mysqldump",
	"mysql"
];
/** Tools whose location can be set by hand (Settings), for installs the search does not find: the clients and 7-Zip. */
var TOOL_NAMES = [...CLIENT_TOOL_NAMES, "7z"];
/** The body a webhook gets: the run record as JSON, or Slack's or Discord's incoming-webhook shape. */
var WEBHOOK_FORMATS = [
	"json",
	"slack",
	"discord"
];
export { TOOL_NAMES as n, WEBHOOK_FORMATS as r, CLIENT_TOOL_NAMES as t };
