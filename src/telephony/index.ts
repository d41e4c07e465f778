export * from './call-control.js';
export { classifyCause, causeText, sipAnswerOfCause } from './causes.js';
export { collectDigitsFromEvents, type DigitsRunnerDeps } from './digits.js';
export { startDigits, stepDigits, type DigitsEvent, type DigitsState, type DigitsStep } from './digits.logic.js';
export {
  createAriCallControl,
  DEFAULT_ARI_APP,
  DEFAULT_ARI_URL,
  type AriCallControlHandle,
  type AriSettings,
} from './ari/index.js';
export { createAmiClient, AmiError, type AmiClient, type AmiClientOptions, type AmiEvent, type AmiEventOf, type AmiSpanStatus, type AmiEndpoint } from './ami/index.js';
