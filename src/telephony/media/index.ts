export * from './media.model.js';
export { SNIFF_BYTES, alawDurationMs, espeakVoice, parseFfmpegDuration, sniffAudio } from './media.logic.js';
export { convertForTelephony, locateFfmpeg, type ConvertInput, type ConvertOptions, type FfmpegBinary } from './ffmpeg.js';
export { createSpeechSynthesizer, type Speech, type SpeechSynthesizer, type SpeechSynthesizerOptions } from './tts.js';
export { createMediaService, type MediaService, type MediaServiceOptions } from './media.service.js';
export { PromptStore, type PromptKey, type PromptStoreOptions, type ReconcileResult } from './prompt-store.js';
