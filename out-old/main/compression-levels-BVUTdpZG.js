// src/shared/domain/compression-levels.ts
/**
* zstd 1, as Percona XtraBackup does: a dump holds its snapshot (and the server's cleanup) open
* until its last byte is taken, so the compressor must keep up with the dump tool beside the
* server, on a workstation's few cores. On dump data level 3 costs about twice the CPU of level 1
* for a file as large or a few percent smaller (README, Performance); a job can ask for more
* with its level. gzip's is its own default.
*/
var DEFAULT_LEVEL = {
	zstd: 1,
	gzip: 6
};
/**
* The levels a job may ask for: the store, the pipeline, the CLI's help and the job form all take
* them from here. zstd stops at 19: its ultra levels differ from 19 mainly in a window larger than
* the 1 MiB frames Vaultdesk compresses, so they would only cost time.
*/
var LEVEL_RANGE = {
	zstd: [1, 19],
	gzip: [1, 9]
};
/** The levels of one compression in words, for help and forms: "zstd 1 (the default) to 19". */
function describeLevels(kind) {
	const [min, max] = LEVEL_RANGE[kind];
	const fallback = DEFAULT_LEVEL[kind];
	return fallback === min ? `${kind} ${min} (the default) to ${max}` : `${kind} ${min} to ${max} (default ${fallback})`;
}
export { LEVEL_RANGE as n, describeLevels as r, DEFAULT_LEVEL as t };
