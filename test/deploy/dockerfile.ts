/** One instruction of a Dockerfile, its continuation lines joined. */
export interface DockerInstruction {
  /** Upper-case keyword: `RUN`, `COPY`, `USER`… */
  readonly keyword: string;
  /** Everything after the keyword. */
  readonly argument: string;
}

/** One stage (`FROM base AS name`) and its instructions. */
export interface DockerStage {
  readonly name: string;
  /** The image or the earlier stage it starts from. */
  readonly from: string;
  readonly instructions: readonly DockerInstruction[];
}

/**
 * Splits a Dockerfile into stages. Comments and blank lines go; lines ending in `\` join the
 * next. Enough for the assertions of the deployment tests, not a full parser (no heredocs).
 */
export function parseDockerfile(text: string): DockerStage[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  const stages: { name: string; from: string; instructions: DockerInstruction[] }[] = [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const argument = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(argument);
      if (match === null) throw new Error(`cannot read FROM ${argument}`);
      stages.push({ from: match[1]!, name: match[2] ?? String(stages.length), instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), argument });
    }
  }
  return stages;
}

/** The stage named `name` and the stages it is built on, the base first. */
export function stageChain(stages: readonly DockerStage[], name: string): DockerStage[] {
  const chain: DockerStage[] = [];
  let current = stages.find((stage) => stage.name === name);
  if (current === undefined) throw new Error(`the Dockerfile has no stage ${name}`);
  while (current !== undefined) {
    chain.unshift(current);
    const base: string = current.from;
    current = stages.find((stage) => stage.name === base);
  }
  return chain;
}

/** The last value of `keyword` in effect for the image built from `target` (USER, CMD…). */
export function effective(
  stages: readonly DockerStage[],
  target: string,
  keyword: string,
): string | undefined {
  const instructions = stageChain(stages, target).flatMap((stage) => stage.instructions);
  return instructions.filter((instruction) => instruction.keyword === keyword).at(-1)?.argument;
}

/** Every instruction of `keyword` in the image built from `target`, its base stages included. */
export function allOf(stages: readonly DockerStage[], target: string, keyword: string): string[] {
  return stageChain(stages, target)
    .flatMap((stage) => stage.instructions)
    .filter((instruction) => instruction.keyword === keyword)
    .map((instruction) => instruction.argument);
}

/** A JSON-form (exec form) argument such as `CMD ["node", "x"]`, as a list. */
export function execForm(argument: string | undefined): string[] {
  if (argument === undefined) return [];
  const json = argument.replace(/^CMD\s+/i, '');
  return JSON.parse(json) as string[];
}
