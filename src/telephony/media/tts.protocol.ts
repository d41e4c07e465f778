/** Messages between the speech synthesizer and its worker thread. */
export interface SpeakRequest {
  id: number;
  text: string;
  /** eSpeak voice name, e.g. `roa/pt-BR+f3`. */
  voice: string;
  rate: number;
}

export type SpeakReply = { id: number; samples: Int16Array; sampleRate: number } | { id: number; error: string };
