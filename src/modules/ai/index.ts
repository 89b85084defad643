/** What other modules may use of the AI helpers. */
export { AiCall, AI_HELPERS } from './ai.entity';
export type { AiHelper } from './ai.entity';
export { aiService } from './ai.service';
export { aiModule } from './ai.module';
