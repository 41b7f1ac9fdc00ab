import { describe, expect, it } from 'vitest';
import { maxContextFileBytes, uploadProblem } from './upload-check';

describe('uploadProblem', () => {
  it('lets the accepted types through, whatever the case of the extension', () => {
    expect(uploadProblem({ name: 'runbook.md', size: 10 })).toBeUndefined();
    expect(uploadProblem({ name: 'Topology.PNG', size: maxContextFileBytes })).toBeUndefined();
  });

  it('refuses other types and names the accepted ones', () => {
    expect(uploadProblem({ name: 'setup.exe', size: 10 })).toMatch(
      /^setup\.exe: \.exe files are not accepted; use \.txt .*\.jpeg$/,
    );
    expect(uploadProblem({ name: 'Makefile', size: 10 })).toContain(
      'files without an extension are not accepted',
    );
    expect(uploadProblem({ name: '.env', size: 10 })).toContain('without an extension');
  });

  it('refuses files over 10 MB, saying how big they are', () => {
    expect(uploadProblem({ name: 'big.log', size: maxContextFileBytes + 1 })).toBe(
      'big.log is 10 MB; context files may be at most 10 MB',
    );
    expect(uploadProblem({ name: 'huge.log', size: 25 * 1024 * 1024 })).toBe(
      'huge.log is 25 MB; context files may be at most 10 MB',
    );
  });
});
