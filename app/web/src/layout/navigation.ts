import {
  BookOpenCheck,
  ChartColumn,
  FileText,
  KeyRound,
  Settings,
  ShieldCheck,
  Siren,
  Users,
  Webhook,
  Wrench,
} from '@lucide/vue';
import type { Component } from 'vue';
import type { RouteLocationRaw } from 'vue-router';
import type { RoleOperation } from '../api/operation-roles';
import { mayCall, type Role } from '../auth/roles';

/** One entry of the navigation, shown to those whose role may call `operation`. */
export interface NavigationItem {
  readonly label: string;
  readonly to: RouteLocationRaw;
  /** The route name that marks the entry as current. */
  readonly name: string;
  readonly icon: Component;
  /** The API call the page is built on: no entry for a role the API would refuse. */
  readonly operation: RoleOperation;
}

/** The dashboard's pages, in the navigation's order. */
export const navigation: readonly NavigationItem[] = [
  {
    label: 'Incidents',
    to: { name: 'incidents' },
    name: 'incidents',
    icon: Siren,
    operation: 'GET /api/incidents',
  },
  {
    label: 'Approvals',
    to: { name: 'approvals' },
    name: 'approvals',
    icon: ShieldCheck,
    operation: 'GET /api/approvals',
  },
  {
    label: 'Sources',
    to: { name: 'sources' },
    name: 'sources',
    icon: Webhook,
    operation: 'GET /api/alert-sources',
  },
  {
    label: 'Tools',
    to: { name: 'tools' },
    name: 'tools',
    icon: Wrench,
    operation: 'GET /api/tools',
  },
  {
    label: 'Skills',
    to: { name: 'skills' },
    name: 'skills',
    icon: BookOpenCheck,
    operation: 'GET /api/skills',
  },
  {
    label: 'Evals',
    to: { name: 'evals' },
    name: 'evals',
    icon: ChartColumn,
    operation: 'GET /api/evals/scorecards',
  },
  {
    label: 'Context files',
    to: { name: 'context-files' },
    name: 'context-files',
    icon: FileText,
    operation: 'GET /api/context-files',
  },
  {
    label: 'Settings',
    to: { name: 'settings' },
    name: 'settings',
    icon: Settings,
    operation: 'GET /api/settings/llm',
  },
  {
    label: 'Users',
    to: { name: 'users' },
    name: 'users',
    icon: Users,
    operation: 'GET /api/users',
  },
  {
    label: 'API tokens',
    to: { name: 'tokens' },
    name: 'tokens',
    icon: KeyRound,
    operation: 'GET /api/tokens',
  },
];

/**
 * The entries `role` may use: a page whose API call the role may not make has none.
 *
 * @example
 * ```ts
 * navigationFor('viewer').map((item) => item.name); // ['incidents', 'approvals', 'evals', 'tokens']
 * ```
 */
export function navigationFor(role: Role | undefined): NavigationItem[] {
  return navigation.filter((item) => mayCall(role, item.operation));
}
