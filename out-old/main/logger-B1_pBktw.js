export { t as asSentence, n as jsonLogger, r as sentenceLogger, i as silentLogger, a as teeLogger, o as withFields } from "./logger-DPaTZ2i9.js";
