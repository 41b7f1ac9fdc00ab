import { existsSync } from 'node:fs';
import { EvalErrors } from '../../errors.js';

/** libfaketime (Debian package `libfaketime`), preloaded for the clock-skew fault. */
export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
/** OpenSSH's server (Debian `openssh-server`). */
export const SSHD = '/usr/sbin/sshd';
/** OpenSSH's key tool (Debian `openssh-client`). */
export const SSH_KEYGEN = '/usr/bin/ssh-keygen';

/**
 * Throws, naming the Debian package to install, when a file the host needs is missing.
 *
 * @example
 * ```ts
 * requireFile(SSHD, 'openssh-server');
 * ```
 */
export function requireFile(file: string, debianPackage: string): void {
  if (!existsSync(file)) {
    throw EvalErrors.AKM_EVAL_PROGRAM_MISSING({
      program: file,
      install: `ssh-host needs it: install the Debian package ${debianPackage}`,
    });
  }
}

/** Perl (Debian `perl-base`, essential on every Debian system): the faults' long-running programs. */
export const PERL = '/usr/bin/perl';
