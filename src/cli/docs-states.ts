import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isFamilyModule } from '../core/module';
import { statesDocument } from '../core/state-diagram';
import { MODULES } from '../modules';

/** docs/states.md as the declarations draw it now. */
export function renderStates(): string {
  return statesDocument(MODULES.filter(isFamilyModule).map((m) => m.family));
}

/** `npm run docs:states` writes docs/states.md; a test fails while the committed copy differs. */
if (require.main === module) {
  const path = join(__dirname, '..', '..', '..', 'docs', 'states.md');
  writeFileSync(path, renderStates());
  process.stdout.write(`wrote ${path}\n`);
}
