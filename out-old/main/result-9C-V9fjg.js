// src/shared/ipc/result.ts
var AppError = class AppError extends Error {
	code;
	details;
	constructor(code, message, details) {
		super(message);
		this.name = "AppError";
		this.code = code;
		this.details = details;
	}
	toPayload() {
		return this.details === void 0 ? {
			code: this.code,
			message: this.message
		} : {
			code: this.code,
			message: this.message,
			details: this.details
		};
	}
	static fromPayload(payload) {
		return new AppError(payload.code, payload.message, payload.details);
	}
};
function ok(data) {
	return {
		ok: true,
		data
	};
}
function fail(error) {
	return {
		ok: false,
		error
	};
}
/** Turns anything thrown into a payload; unknown errors keep their message but get code INTERNAL. */
function toErrorPayload(error) {
	if (error instanceof AppError) return error.toPayload();
	return {
		code: "INTERNAL",
		message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}`
	};
}
function unwrap(result) {
	if (result.ok) return result.data;
	throw AppError.fromPayload(result.error);
}
export { unwrap as a, toErrorPayload as i, fail as n, ok as r, AppError as t };
