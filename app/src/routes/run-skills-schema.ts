/**
 * The `skills` field of a request that starts a run by hand (a manual incident, re-investigate,
 * a follow-up): which enabled skills' tools the run gets. One schema, so the three routes and
 * their OpenAPI document say the same thing.
 */
export const runSkillsSchema = {
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 64 },
  maxItems: 100,
  description:
    'Skills (enabled, by name) whose tools the run gets; omitted: every enabled skill. An unknown or disabled name is a 400 AKM_UNKNOWN_SKILL',
};
