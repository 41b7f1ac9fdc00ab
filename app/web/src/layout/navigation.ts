import { Siren } from '@lucide/vue';
import type { Component } from 'vue';
import type { RouteLocationRaw } from 'vue-router';
import type { RoleOperation } from '../api/operation-roles';

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
];
