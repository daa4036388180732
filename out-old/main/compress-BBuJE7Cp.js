import { n as LEVEL_RANGE, t as DEFAULT_LEVEL } from "./compression-levels-BVUTdpZG.js";
import { t as AppError } from "./result-9C-V9fjg.js";
import { i as releaseFrame, n as acquireFrame, r as isPooledFrame } from "./frame-pool-Y46ME5Dc.js";
import { availableParallelism } from "node:os";
import { PassThrough, Transform } from "node:stream";
import zlib from "node:zlib";
// src/main/core/pipeline/compress-zstd-frames.ts
var ZSTD_MAGIC = 4247762216;
var DICT_ID_BYTES = [
	0,
	1,
	2,
	4
];
/** What a frame header's descriptor byte says of the header fields after it (RFC 8878, 3.1.1.1). */
function frameDescriptor(d) {
	const singleSegment = d >> 5 & 1;
	const sizeFlag = d >> 6;
	return {
		reservedSet: (d & 8) !== 0,
		checksum: (d >> 2 & 1) === 1,
		windowBytes: singleSegment ? 0 : 1,
		dictBytes: DICT_ID_BYTES[d & 3],
		sizeBytes: sizeFlag === 0 ? singleSegment : 2 ** sizeFlag
	};
}
function damaged(detail) {
	return new AppError("INTEGRITY_FAILED", `The zstd data is damaged: ${detail}.`);
}
/**
* Follows the frame and block structure of a zstd stream (RFC 8878) without decoding it. Node's
* zstd decompressor (22.x) ends cleanly on a truncated frame and drops whatever follows a frame
* end inside the same write: a cut-off or concatenated backup would restore short, silently.
* The tracker says whether the input ended on a frame boundary and where frames end.
*/
var ZstdFrameTracker = class {
	#field = Buffer.alloc(4);
	#kind = "magic";
	#need = 4;
	#have = 0;
	#skip = 0;
	#afterSkip = () => void 0;
	#checksum = false;
	#frames = 0;
	/** Where in the chunk being fed the cursor is, and where frames ended in it. */
	#offset = 0;
	#ends = [];
	/** True when the input so far is one or more whole frames. */
	get complete() {
		return this.#frames > 0 && this.#kind === "magic" && this.#have === 0 && this.#skip === 0;
	}
	/** Follows `chunk`; returns the offsets in it just past each frame that ended there. */
	feed(chunk) {
		this.#ends = [];
		let offset = 0;
		while (offset < chunk.length) {
			if (this.#skip > 0) {
				const n = Math.min(this.#skip, chunk.length - offset);
				this.#skip -= n;
				offset += n;
				this.#offset = offset;
				if (this.#skip === 0) this.#afterSkip();
				continue;
			}
			const n = Math.min(this.#need - this.#have, chunk.length - offset);
			chunk.copy(this.#field, this.#have, offset, offset + n);
			this.#have += n;
			offset += n;
			this.#offset = offset;
			if (this.#have === this.#need) {
				this.#have = 0;
				this.#onField();
			}
		}
		return this.#ends;
	}
	#expect(kind, bytes) {
		this.#kind = kind;
		this.#need = bytes;
	}
	#skipThen(bytes, next) {
		if (bytes === 0) {
			next();
			return;
		}
		this.#skip = bytes;
		this.#afterSkip = next;
	}
	#endFrame = () => {
		this.#frames += 1;
		this.#ends.push(this.#offset);
		this.#expect("magic", 4);
	};
	#nextBlock = () => this.#expect("block-header", 3);
	#onField() {
		const f = this.#field;
		switch (this.#kind) {
			case "magic": {
				const magic = f.readUInt32LE(0);
				if (magic === ZSTD_MAGIC) this.#expect("descriptor", 1);
				else if (magic >>> 4 === 25481893) this.#expect("skippable-size", 4);
				else throw damaged(this.#frames === 0 ? "it is not zstd-compressed" : "unexpected bytes after a frame");
				return;
			}
			case "skippable-size":
				this.#kind = "magic";
				this.#skipThen(f.readUInt32LE(0), this.#endFrame);
				return;
			case "descriptor": {
				const d = frameDescriptor(f[0]);
				if (d.reservedSet) throw damaged("a frame header has its reserved bit set");
				this.#checksum = d.checksum;
				this.#kind = "block-header";
				this.#need = 3;
				this.#skipThen(d.windowBytes + d.dictBytes + d.sizeBytes, this.#nextBlock);
				return;
			}
			case "block-header": {
				const header = f.readUIntLE(0, 3);
				const last = (header & 1) === 1;
				const type = header >> 1 & 3;
				if (type === 3) throw damaged("a block has the reserved type");
				const stored = type === 1 ? 1 : header >>> 3;
				const after = last ? () => this.#skipThen(this.#checksum ? 4 : 0, this.#endFrame) : this.#nextBlock;
				this.#skipThen(stored, after);
				return;
			}
		}
	}
};
// src/main/core/pipeline/compress-zstd-framed.ts
/**
* Frames compressed at once, each on a threadpool thread; more than three would leave no
* threadpool thread (4 by default) for the file writes that follow.
*/
function defaultLanes() {
	return Math.max(1, Math.min(3, availableParallelism()));
}
/**
* Full frames that may wait for a lane before the input is held back: when the dump tool is
* the slowest stage (mariadb-dump), every moment it is blocked on a full pipe is lost for good.
* Costs QUEUED_FRAMES MiB.
*/
var QUEUED_FRAMES = 4;
/**
* One persistent compressor: reusing its context (tables, window) rather than making one per
* frame saves CPU. Every write is compressed with ZSTD_e_end, so each write becomes one whole frame; its output is
* collected until the frame tracker sees that frame end, which does not depend on when zlib
* emits 'data' relative to the write's callback.
*/
var Lane = class {
	onDone;
	#engine;
	#tracker = new ZstdFrameTracker();
	#frame = null;
	#parts = [];
	/** `onDone` hears of each frame once it is out (or failed); only then is its input free. */
	constructor(params, frameBytes, onDone) {
		this.onDone = onDone;
		this.#engine = zlib.createZstdCompress({
			params,
			flush: zlib.constants.ZSTD_e_end,
			chunkSize: frameBytes + (frameBytes >> 7) + 65536
		});
		this.#engine.on("data", (chunk) => this.#collect(chunk));
		this.#engine.on("error", (error) => this.#finish(null, error));
	}
	get busy() {
		return this.#frame !== null;
	}
	start(input, frame) {
		this.#frame = frame;
		this.#engine.write(input);
	}
	close() {
		this.#engine.destroy();
	}
	#collect(chunk) {
		this.#parts.push(chunk);
		let ends;
		try {
			ends = this.#tracker.feed(chunk);
		} catch (error) {
			this.#finish(null, error);
			return;
		}
		if (ends.length === 0) return;
		if (ends.length > 1 || ends[0] !== chunk.length) {
			this.#finish(null, /* @__PURE__ */ new Error("zstd wrote an unexpected frame layout"));
			return;
		}
		this.#finish(this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts), null);
	}
	#finish(output, error) {
		const frame = this.#frame;
		this.#frame = null;
		this.#parts = [];
		if (!frame) return;
		frame.output = output;
		frame.error = error;
		this.onDone(frame);
	}
};
/**
* zstd as a sequence of independent frames (RFC 8878 section 3.1: a zstd file is one or more
* frames; `zstd -d`, Node's decompressor and createDecompressStream read it as one stream).
* Each frame is compressed in a single pass (ZSTD_e_end with the whole input, so libzstd knows
* its size), carries its content size and checksum; up to `lanes` compress at once and up to
* QUEUED_FRAMES more wait for a lane. Output keeps input order. Memory: about
* (lanes + QUEUED_FRAMES) x FRAME_BYTES of input, plus per lane its output and a context.
*/
var ZstdFramedCompress = class extends Transform {
	#params;
	#lanes;
	#frameBytes;
	/** The frame being filled (see #fill). */
	#current = null;
	#used = 0;
	#frames = 0;
	#inFlight = [];
	#pool = [];
	/** A _transform or _flush callback waiting for a lane to free up or for the last frames. */
	#waiting = null;
	constructor(level, options = {}) {
		super();
		this.#params = {
			[zlib.constants.ZSTD_c_compressionLevel]: level,
			[zlib.constants.ZSTD_c_checksumFlag]: 1
		};
		this.#lanes = Math.max(1, options.lanes ?? defaultLanes());
		this.#frameBytes = options.frameBytes ?? 1048576;
	}
	_transform(chunk, _encoding, callback) {
		if (this.#used === 0 && chunk.length === this.#frameBytes && isPooledFrame(chunk)) {
			this.#queue(chunk, chunk.length);
			this.#whenRoom(callback);
			return;
		}
		this.#fill(chunk, 0, callback);
	}
	/**
	* Copies input into the frame being filled and starts it when full. Frame buffers come from
	* the frame pool and go back to it once compressed, rather than a fresh 1 MiB per frame.
	*/
	#fill(chunk, from, callback) {
		let offset = from;
		while (offset < chunk.length) {
			const current = this.#current ??= this.#frameBytes === 1048576 ? acquireFrame() : Buffer.allocUnsafe(this.#frameBytes);
			const n = Math.min(this.#frameBytes - this.#used, chunk.length - offset);
			chunk.copy(current, this.#used, offset, offset + n);
			this.#used += n;
			offset += n;
			if (this.#used === this.#frameBytes) {
				this.#startCurrent();
				const rest = offset;
				this.#whenRoom(rest < chunk.length ? () => this.#fill(chunk, rest, callback) : callback);
				return;
			}
		}
		callback();
	}
	_flush(callback) {
		if (this.#used > 0) this.#startCurrent();
		else if (this.#frames === 0) this.push(zlib.zstdCompressSync(Buffer.alloc(0), { params: this.#params }));
		this.#waiting = () => {
			if (this.#inFlight.length > 0) return false;
			this.#closeLanes();
			callback();
			return true;
		};
		this.#drain();
	}
	_destroy(error, callback) {
		this.#inFlight.length = 0;
		this.#current = null;
		this.#waiting = null;
		this.#closeLanes();
		callback(error);
	}
	#closeLanes() {
		for (const lane of this.#pool.splice(0)) lane.close();
	}
	/** Queues the filled frame. */
	#startCurrent() {
		const buffer = this.#current;
		const used = this.#used;
		this.#current = null;
		this.#used = 0;
		this.#queue(buffer, used);
	}
	/** Queues `bytes` of `buffer` as the next frame; it starts at once if a lane is free (see #dispatch). */
	#queue(buffer, bytes) {
		this.#inFlight.push({
			pending: bytes === buffer.length ? buffer : buffer.subarray(0, bytes),
			buffer,
			output: null,
			error: null
		});
		this.#frames += 1;
		this.#dispatch();
	}
	/** Starts queued frames, in order, on free lanes (made as needed, up to `lanes`). */
	#dispatch() {
		for (const frame of this.#inFlight) {
			if (!frame.pending) continue;
			let lane = this.#pool.find((l) => !l.busy);
			if (!lane && this.#pool.length < this.#lanes) {
				lane = new Lane(this.#params, this.#frameBytes, (done) => this.#frameDone(done));
				this.#pool.push(lane);
			}
			if (!lane) return;
			const input = frame.pending;
			frame.pending = null;
			lane.start(input, frame);
		}
	}
	#frameDone(frame) {
		if (frame.output) releaseFrame(frame.buffer);
		this.#drain();
	}
	/** Input goes on while fewer than lanes + QUEUED_FRAMES frames are compressing or waiting. */
	#whenRoom(callback) {
		this.#waiting = () => {
			if (this.#inFlight.length >= this.#lanes + QUEUED_FRAMES) return false;
			callback();
			return true;
		};
		this.#drain();
	}
	/** Pushes finished frames in order, then lets the waiting callback go on if it can. */
	#drain() {
		if (this.destroyed) return;
		while (this.#inFlight.length > 0) {
			const head = this.#inFlight[0];
			if (head.error) {
				this.#inFlight.length = 0;
				this.destroy(head.error);
				return;
			}
			if (!head.output) break;
			this.#inFlight.shift();
			this.push(head.output);
		}
		this.#dispatch();
		const waiting = this.#waiting;
		if (!waiting) return;
		this.#waiting = null;
		if (!waiting()) this.#waiting = waiting;
	}
};
// src/main/core/pipeline/compress-zstd-unframe.ts
/** Frames decompressed at once, each on a threadpool thread (4 by default), as the compressor's lanes. */
var IN_FLIGHT = 3;
/**
* A frame that states a content size up to this is held whole and decompressed in one threadpool
* trip: the backups' own frames (1 MiB each, compress-zstd-framed.ts). Any other frame (the zstd
* CLI writes one frame for a whole file, often of unknown size) streams as it comes.
*/
var WHOLE_FRAME_MAX = 16777216;
/** The longest frame header that states a content size: magic, descriptor, window, dictionary id, size. */
var HEAD_MAX = 18;
/** What a frame's first bytes say (the tracker has checked its magic); 'more' when they are not all there yet. */
function readFrameHead(head) {
	if (head.length < 4) return "more";
	if (head.readUInt32LE(0) >>> 4 === 25481893) return { kind: "skippable" };
	if (head.length < 5) return "more";
	const { windowBytes, dictBytes, sizeBytes } = frameDescriptor(head[4]);
	if (sizeBytes === 0) return {
		kind: "data",
		contentSize: null
	};
	const at = 5 + windowBytes + dictBytes;
	if (head.length < at + sizeBytes) return "more";
	return {
		kind: "data",
		contentSize: sizeBytes === 1 ? head[at] : sizeBytes === 2 ? head.readUInt16LE(at) + 256 : sizeBytes === 4 ? head.readUInt32LE(at) : Number(head.readBigUInt64LE(at))
	};
}
/**
* Buffers a whole frame is gathered in, reused: a frame arrives in pieces (age's 64 KiB chunks)
* and zstd takes it in one piece, so each was copied into a new buffer, a third of what a
* restore allocated besides the plaintext itself, and every such allocation brings V8's next
* full collection closer. A buffer goes back once zstd has read it.
*/
var spareHolds = [];
var HOLD_BYTES = 1179648;
/** The most a frame stating `contentSize` may take; zstd never writes one longer. */
function holdLimit(contentSize) {
	return contentSize + (contentSize >> 7) + 65536;
}
function acquireHold(bytes) {
	const i = spareHolds.findIndex((b) => b.length >= bytes);
	if (i >= 0) return spareHolds.splice(i, 1)[0];
	return Buffer.allocUnsafeSlow(Math.max(bytes, HOLD_BYTES));
}
function releaseHold(hold) {
	if (spareHolds.length <= IN_FLIGHT && hold.length <= HOLD_BYTES) spareHolds.push(hold);
}
/** One whole frame in one threadpool trip; zstd checks its checksum and stated size. */
function decompressWhole(hold, bytes, contentSize) {
	const output = new Promise((resolve, reject) => {
		zlib.zstdDecompress(hold.subarray(0, bytes), {
			chunkSize: Math.max(65536, contentSize + 1),
			maxOutputLength: Math.max(1, contentSize)
		}, (error, out) => {
			pending.done = true;
			releaseHold(hold);
			if (error) reject(error);
			else resolve(out);
		});
	});
	output.catch(() => void 0);
	const pending = {
		done: false,
		output
	};
	return pending;
}
/**
* zstd decompression of a stream of frames, several frames at once. A backup's zstd data is
* independent 1 MiB frames (compress-zstd-framed.ts): each is held whole and decompressed in one
* threadpool trip, up to IN_FLIGHT at once, and released in order, so decompression is not one
* thread going 256 KiB at a time. Other frames stream through a decompressor of their own, one
* frame per decompressor, after everything before them is out. The frame tracker says where
* frames end and whether the input ended on a frame boundary; zstd checks each frame's checksum.
* Errors are left raw for the caller to word (compress.ts).
*/
var ZstdUnframe = class extends Transform {
	#tracker = new ZstdFrameTracker();
	/** The current frame's first bytes, until its header says how it goes. */
	#held = [];
	#heldBytes = 0;
	#mode = "undecided";
	#contentSize = 0;
	/** The current frame, gathered whole ('whole' mode): `#holdBytes` of it are filled. */
	#hold = null;
	#holdBytes = 0;
	#stream = null;
	#queue = [];
	_transform(chunk, _encoding, callback) {
		this.#take(chunk).then(() => callback(), callback);
	}
	_flush(callback) {
		if (!this.#tracker.complete) {
			callback(truncatedZstd());
			return;
		}
		this.#drain().then(() => callback(), callback);
	}
	_destroy(error, callback) {
		this.#stream?.destroy();
		callback(error);
	}
	async #take(chunk) {
		const ends = this.#tracker.feed(chunk);
		let start = 0;
		for (const end of ends) {
			await this.#add(chunk.subarray(start, end), true);
			start = end;
		}
		if (start < chunk.length) await this.#add(chunk.subarray(start), false);
	}
	/** A piece of the current frame; `last`: the frame ends with it. */
	async #add(piece, last) {
		if (this.#mode === "undecided") {
			this.#held.push(piece);
			this.#heldBytes += piece.length;
			const head = readFrameHead(Buffer.concat(this.#held, Math.min(this.#heldBytes, HEAD_MAX)));
			if (head === "more" && !last) return;
			await this.#decide(head);
		} else if (this.#mode === "whole") this.#gather(piece);
		else if (this.#mode === "stream") await write(this.#stream, piece);
		if (last) await this.#endFrame();
	}
	/** Copies a piece of the current frame into its hold. */
	#gather(piece) {
		const hold = this.#hold;
		if (this.#holdBytes + piece.length > holdLimit(this.#contentSize)) throw new AppError("INTEGRITY_FAILED", "The zstd data is damaged: a frame is longer than the content it says it holds.");
		piece.copy(hold, this.#holdBytes);
		this.#holdBytes += piece.length;
	}
	/** Chooses how the frame goes, and passes on what was held of it. */
	async #decide(head) {
		if (head !== "more" && head.kind === "skippable") {
			this.#mode = "skip";
			this.#held = [];
			this.#heldBytes = 0;
			return;
		}
		if (head !== "more" && head.contentSize !== null && head.contentSize <= WHOLE_FRAME_MAX) {
			this.#mode = "whole";
			this.#contentSize = head.contentSize;
			this.#hold = acquireHold(holdLimit(head.contentSize));
			this.#holdBytes = 0;
			const held = this.#held;
			this.#held = [];
			this.#heldBytes = 0;
			for (const piece of held) this.#gather(piece);
			return;
		}
		this.#mode = "stream";
		await this.#drain();
		const stream = zlib.createZstdDecompress({ chunkSize: 262144 });
		stream.on("data", (out) => this.push(out));
		stream.on("error", () => void 0);
		this.#stream = stream;
		const held = this.#held;
		this.#held = [];
		this.#heldBytes = 0;
		for (const piece of held) await write(stream, piece);
	}
	async #endFrame() {
		const mode = this.#mode;
		this.#mode = "undecided";
		if (mode === "whole") {
			const hold = this.#hold;
			this.#hold = null;
			this.#queue.push(decompressWhole(hold, this.#holdBytes, this.#contentSize));
			await this.#release(IN_FLIGHT);
		} else if (mode === "stream") {
			const stream = this.#stream;
			this.#stream = null;
			await finish(stream);
		}
	}
	/** Pushes the frames that are done, in order, and waits for the oldest while `limit` or more are in flight. */
	async #release(limit) {
		while (this.#queue.length > 0 && (this.#queue[0].done || this.#queue.length >= limit)) {
			const output = await this.#queue.shift().output;
			if (output.length > 0) this.push(output);
		}
	}
	async #drain() {
		await this.#release(0);
	}
};
function write(stream, piece) {
	if (piece.length === 0) return Promise.resolve();
	return new Promise((resolve, reject) => {
		const onError = (error) => reject(error);
		stream.once("error", onError);
		stream.write(piece, (error) => {
			stream.off("error", onError);
			if (error) reject(error);
			else resolve();
		});
	});
}
function finish(stream) {
	return new Promise((resolve, reject) => {
		stream.once("error", reject);
		stream.once("end", () => resolve());
		stream.end();
	});
}
function truncatedZstd() {
	return new AppError("INTEGRITY_FAILED", "The zstd data is truncated: it ends in the middle of a frame, so the backup file is incomplete.");
}
// src/main/core/pipeline/compress.ts
/**
* zlib's default 16 KiB output chunks cost a threadpool round trip, a callback and a push per
* 16 KiB. gzip compression gets 1 MiB writes (see createBatchStream): 256 KiB output buffers hold
* most of what one write produces, so a write takes one or two round trips rather than five or
* six. gzip decompression releases 256 KiB at a time for the same reason (zstd decompresses
* whole frames, compress-zstd-unframe.ts).
*/
var CHUNK_SIZE = 262144;
function checkLevel(kind, level) {
	const [min, max] = LEVEL_RANGE[kind];
	if (!Number.isInteger(level) || level < min || level > max) throw new AppError("VALIDATION_FAILED", `The ${kind} compression level must be a whole number from ${min} to ${max} (got ${String(level)}).`);
	return level;
}
function unknownKind(kind) {
	return new AppError("VALIDATION_FAILED", `Unknown compression "${String(kind)}": use zstd, gzip or none.`);
}
/**
* A compressing Transform. zstd is written as independent frames compressed in parallel (see
* ZstdFramedCompress); each carries a content checksum (as the zstd CLI writes them), so a
* damaged backup fails on decompression instead of restoring silently wrong bytes.
*/
function createCompressStream(kind, level) {
	switch (kind) {
		case "zstd": return new ZstdFramedCompress(checkLevel(kind, level ?? DEFAULT_LEVEL.zstd));
		case "gzip": return zlib.createGzip({
			chunkSize: CHUNK_SIZE,
			level: checkLevel(kind, level ?? DEFAULT_LEVEL.gzip)
		});
		case "none": return new PassThrough();
		default: throw unknownKind(kind);
	}
}
/** zlib reports damage as bare errors (`Z_DATA_ERROR`, "unexpected end of file"); say what it means. */
function damagedData(kind, error) {
	if (error === null || error instanceof AppError) return error;
	const code = error.code;
	return new AppError("INTEGRITY_FAILED", `The ${kind} data is damaged or incomplete (${error.message}).`, code ? { cause: code } : void 0);
}
var CheckedZstdDecompress = class extends ZstdUnframe {
	_destroy(error, callback) {
		super._destroy(error, (final) => callback(damagedData("zstd", final ?? null)));
	}
};
var CheckedGunzip = class extends zlib.Gunzip {
	_destroy(error, callback) {
		super._destroy(error, (final) => callback(damagedData("gzip", final ?? null)));
	}
};
/**
* The matching decompressing Transform. Damage and truncation fail with INTEGRITY_FAILED: gzip
* checks its trailer, zstd its frame checksum, and a zstd stream cut between blocks (which
* Node's decompressor would end cleanly) is caught by following its frame structure. A backup's
* zstd frames are decompressed several at once (compress-zstd-unframe.ts).
* gzip accepts multi-member files and zstd concatenated frames, as their CLIs do.
*/
function createDecompressStream(kind) {
	switch (kind) {
		case "zstd": return new CheckedZstdDecompress();
		case "gzip": return new CheckedGunzip({ chunkSize: CHUNK_SIZE });
		case "none": return new PassThrough();
		default: throw unknownKind(kind);
	}
}
export { createDecompressStream as n, createCompressStream as t };
