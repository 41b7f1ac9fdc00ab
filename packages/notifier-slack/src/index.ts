/** `@akmatori/notifier-slack`: Slack for Akmatori's incidents. */
export {};
