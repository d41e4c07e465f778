import type { PromptRef } from './ivr.model.js';

/** One question: the caller answers with one digit within `min`–`max` (1–5, or 1–2 for no/yes). */
export interface SurveyQuestion {
  /** The question's short title: the answer's key, a report column. */
  alias: string;
  prompt: PromptRef[];
  min: number;
  max: number;
}

/** A satisfaction survey as the caller hears it after the agent leg ends. */
export interface SurveyScript {
  language: string;
  /** Played first (e.g. "please stay on the line to rate…"). */
  intro: PromptRef[];
  questions: SurveyQuestion[];
  /** After an answer out of range. */
  invalidPrompt: PromptRef[];
  /** Seconds to answer each question once it has been asked. */
  timeoutSeconds: number;
  /** Times a question is asked again after an invalid answer or silence; then it is skipped. */
  retries: number;
  /** Played at the end, before hanging up. */
  thanks: PromptRef[];
}

/** One answer as stored: per call and question alias. */
export interface SurveyAnswer {
  alias: string;
  value: number;
}
