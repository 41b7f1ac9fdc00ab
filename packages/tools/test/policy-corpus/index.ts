import type { CorpusCase } from './corpus-case.js';
import { EXEC_CASES } from './refuse-exec.js';
import { FILE_WRITE_CASES } from './refuse-file-write.js';
import { NETWORK_CASES } from './refuse-network.js';
import { SHELL_CASES } from './refuse-shell.js';

export { CORPUS_NETWORK_ALLOWLIST, fillPlaceholders, type CorpusCase } from './corpus-case.js';
export { ALLOW_CASES, NETWORK_ALLOW_CASES } from './allow.js';

/** Every command the policy must not judge read-only, by family. */
export const REFUSE_CASES: readonly CorpusCase[] = [
  ...FILE_WRITE_CASES,
  ...NETWORK_CASES,
  ...EXEC_CASES,
  ...SHELL_CASES,
];
