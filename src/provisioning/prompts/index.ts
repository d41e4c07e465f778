export { PromptService, DEFAULT_PROMPT_LANGUAGE, type ReceivedFile, type UploadFields } from './prompts.service.js';
export { promptDef, promptAudioUrl, type PromptAudio, type PromptInput } from './prompts.resource.js';
export { promptRoutes } from './prompts.routes.js';
export { PromptView } from './prompts.schemas.js';
