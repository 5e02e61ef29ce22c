/** One problem in the deployment files: where it is, which rule, what is wrong. */
export interface Finding {
  file: string;
  path: string;
  rule: string;
  message: string;
}

export const formatFinding = (f: Finding): string => `${f.file}${f.path ? `: ${f.path}` : ''}: [${f.rule}] ${f.message}`;

/** Collects findings for one file. */
export function reporter(file: string) {
  const findings: Finding[] = [];
  return {
    findings,
    add: (path: string, rule: string, message: string) => findings.push({ file, path, rule, message }),
  };
}

export type Report = ReturnType<typeof reporter>['add'];
