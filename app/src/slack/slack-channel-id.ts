/**
 * A Slack conversation id as `chat.postMessage` takes it: `C…` (public channel), `G…`
 * (private channel or group DM) or `D…` (direct message), upper-case letters and digits.
 * Names such as `#alerts` are refused: Slack renames channels, ids stay.
 *
 * @example
 * ```ts
 * new RegExp(SLACK_CHANNEL_ID_PATTERN).test('C0123456789'); // true
 * ```
 */
export const SLACK_CHANNEL_ID_PATTERN = '^[CGD][A-Z0-9]{2,30}$';
