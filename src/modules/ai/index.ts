/** What other modules may use of the AI helpers. */
export { AiCall, AI_HELPERS } from './ai-call';
export type { AiHelper } from './ai-call';
export { aiService } from './ai.service';
export { aiModule } from './ai.module';
