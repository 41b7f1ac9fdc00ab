import { quoteForReason, type CommandArgument } from './command-words.js';

/**
 * Device names under `/dev` that reading (or probing) leaves alone: the null, zero and
 * random devices, the standard streams, the kernel log, and disks, partitions and
 * volumes. Opening another device may act on it: opening `/dev/watchdog` arms the
 * hardware watchdog, which reboots the machine when it is closed without a magic byte.
 */
const SAFE_DEVICE =
  /^(?:null|zero|full|u?random|stdin|stdout|stderr|fd\/[0-2]|kmsg|(?:sd|vd|xvd|hd)[a-z]+[0-9]*|nvme[0-9]+(?:n[0-9]+(?:p[0-9]+)?)?|mmcblk[0-9]+(?:p[0-9]+)?|md[0-9]+|dm-[0-9]+|loop[0-9]+|sr[0-9]+|(?:disk|mapper)(?:\/[A-Za-z0-9._:+-]+)*)?\/?$/;

/** A `dev/` path segment anywhere in a word: `/dev/x`, `dev/x`, `--file=/dev/x`, `-f/dev/x`. */
const DEVICE_PATH = /(?:^|[/=]|^-[A-Za-z])\.?\/*dev\/+(.*)$/;
/** Proc files whose reading changes something: the destructive kernel log, SysRq. */
const PROC_WITH_EFFECTS = /(?:^|\/)proc\/+(?:kmsg|sysrq-trigger)\/?$/;

/**
 * Why an argument names a device or proc file whose opening may act on the machine, or
 * null. Globs that reach into `/dev` are refused too: they may expand to any device.
 *
 * @example
 * ```ts
 * deviceProblem('cat', { value: '/dev/watchdog', glob: false, mayExpandToOption: false }); // 'cat opens the device ...'
 * deviceProblem('lsblk', { value: '/dev/sda', glob: false, mayExpandToOption: false }); // null
 * ```
 */
export function deviceProblem(program: string, argument: CommandArgument): string | null {
  const text = argument.value;
  if (PROC_WITH_EFFECTS.test(text)) {
    return `${program} opens ${quoteForReason(text)}, which changes the kernel's state when read`;
  }
  const device = DEVICE_PATH.exec(text);
  if (device === null) return null;
  const name = (device[1] ?? '').replace(/\/{2,}/g, '/');
  if (argument.glob) return `${program} glob ${quoteForReason(text)} may expand to any device`;
  if (name.split('/').includes('..') || !SAFE_DEVICE.test(name)) {
    return `${program} opens the device ${quoteForReason(text)}, which may act on the machine (e.g. /dev/watchdog reboots it)`;
  }
  return null;
}

/**
 * Why `cd` to `target` is not read-only: inside `/dev` a relative name reaches any device.
 *
 * @example
 * ```ts
 * cdProblem('/dev'); // 'cd into "/dev" lets relative names open devices'
 * ```
 */
export function cdProblem(target: string): string | null {
  return /(?:^|\/)dev(?:\/|$)/.test(target)
    ? `cd into ${quoteForReason(target)} lets relative names open devices`
    : null;
}
