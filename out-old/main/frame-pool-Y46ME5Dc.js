// src/main/core/pipeline/frame-pool.ts
/**
* Input per zstd frame, and the size of the buffers a dump tool's output is read into (see
* compress-zstd-framed.ts for why 1 MiB).
*/
var FRAME_BYTES = 1048576;
/** Spare frames kept for reuse: more than a backup has in flight (reader, queue, lanes). */
var MAX_SPARES = 16;
var pooled = /* @__PURE__ */ new WeakSet();
var spares = [];
/**
* Frame buffers that are filled once, handed down the pipeline and given back by the stage
* that is done with them last, so reading and compressing a dump allocates no memory per
* chunk. Node's own pipe reads allocate a buffer per read (16,000+ per GiB of dump), which the
* worker then copied into its frames; with these, 1 GB goes from the tool into zstd with no
* copy and no new buffer.
*
* Whoever holds a frame owns it; passing it downstream passes it on. Only the stage that
* consumes it for good (the zstd compressor, once the frame is compressed) calls
* releaseFrame(). A frame nobody releases is simply garbage-collected, so a consumer that does
* not know about the pool (gzip, no compression) is still correct.
*/
function acquireFrame() {
	const frame = spares.pop() ?? Buffer.allocUnsafeSlow(1048576);
	pooled.add(frame);
	return frame;
}
/** A whole frame from acquireFrame() (not a part of one): its owner may release it. */
function isPooledFrame(buffer) {
	return pooled.has(buffer);
}
/** Gives a frame back for reuse; nothing may read or write it afterwards. Anything else is ignored. */
function releaseFrame(buffer) {
	if (!pooled.has(buffer) || spares.length >= MAX_SPARES || spares.includes(buffer)) return;
	spares.push(buffer);
}
export { releaseFrame as i, acquireFrame as n, isPooledFrame as r, FRAME_BYTES as t };
