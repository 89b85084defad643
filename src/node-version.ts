/** The Node.js major Base is built and tested on (`.nvmrc`, the Dockerfile, `.ci/run`). */
export const NODE_MAJOR = 24;

/**
 * A line for the start-up log when this Node is older than the one Base targets, else null. Older
 * majors often run, but nothing is tested on them, so it warns rather than refuses.
 */
export function nodeVersionWarning(version: string = process.versions.node): string | null {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isFinite(major) || major >= NODE_MAJOR) return null;
  return `Node.js ${version.replace(/^v/, '')} is older than ${NODE_MAJOR}, the version Base is built and tested on (see .nvmrc); upgrade Node`;
}
