/**
 * The part of `@echogarden/espeak-ng-emscripten` (eSpeak NG compiled to WebAssembly, untyped)
 * that the speech worker uses.
 */
declare module '@echogarden/espeak-ng-emscripten' {
  export interface ESpeakNGWorker {
    /** 0 on success. Accepts `<language>[+<variant>]`, e.g. `roa/pt-BR+f3`. */
    set_voice(name: string): number;
    /** Words per minute. */
    set_rate(wordsPerMinute: number): number;
    get_samplerate(): number;
    /** Calls `onAudio` with each chunk of 16-bit mono samples; returning true aborts. */
    synthesize(text: string, onAudio: (samples: Int16Array) => boolean | void): number | undefined;
  }

  export interface ESpeakNGModule {
    eSpeakNGWorker: new () => ESpeakNGWorker;
  }

  const createModule: () => Promise<ESpeakNGModule>;
  export default createModule;
}
