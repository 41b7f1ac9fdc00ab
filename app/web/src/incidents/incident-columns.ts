import { NTag, type DataTableColumns } from 'naive-ui';
import { h, type Ref } from 'vue';
import { RouterLink } from 'vue-router';
import type { Incident } from '../api/types';
import { formatAge } from '../format/age';
import { investigationTag, severityTag, stateTag, type TagType } from './incident-labels';
import type { IncidentListState, SortKey } from './incident-list-state';

function sortOrder(state: IncidentListState, key: SortKey): 'ascend' | 'descend' | false {
  if (state.sort?.key !== key) return false;
  return state.sort.order === 'asc' ? 'ascend' : 'descend';
}

function tag(label: { label: string; type: TagType }) {
  return h(NTag, { type: label.type, size: 'small', bordered: false }, () => label.label);
}

/**
 * The incidents table on a phone: one column per incident, its title (the link) first and
 * severity, state, investigation and age under it, so nothing needs sideways scrolling.
 */
export function compactIncidentColumns(now: Ref<Date>): DataTableColumns<Incident> {
  return [
    {
      title: 'Incident',
      key: 'title',
      render: (row) =>
        h('div', { class: 'compact-incident' }, [
          h(RouterLink, { to: { name: 'incident', params: { uuid: row.uuid } } }, () => row.title),
          h('div', { class: 'compact-tags' }, [
            tag(severityTag[row.severity]),
            tag(stateTag[row.state]),
            tag(investigationTag[row.investigation_status]),
            h('span', { class: 'quiet' }, [
              `${row.source_type} · `,
              h('time', { datetime: row.created_at }, formatAge(row.created_at, now.value)),
            ]),
          ]),
        ]),
    },
  ];
}

/** The incidents table's columns; `now` ticks so ages stay current. */
export function incidentColumns(
  state: IncidentListState,
  now: Ref<Date>,
): DataTableColumns<Incident> {
  const sortable = (key: SortKey) => ({ key, sorter: true, sortOrder: sortOrder(state, key) });
  return [
    {
      title: 'Severity',
      ...sortable('severity'),
      width: 110,
      render: (row) => tag(severityTag[row.severity]),
    },
    {
      title: 'State',
      ...sortable('state'),
      width: 130,
      render: (row) => tag(stateTag[row.state]),
    },
    {
      title: 'Investigation',
      ...sortable('investigation'),
      width: 170,
      render: (row) =>
        h(
          NTag,
          { type: investigationTag[row.investigation_status].type, size: 'small', round: true },
          () => investigationTag[row.investigation_status].label,
        ),
    },
    {
      title: 'Title',
      ...sortable('title'),
      minWidth: 240,
      ellipsis: { tooltip: true },
      render: (row) =>
        h(RouterLink, { to: { name: 'incident', params: { uuid: row.uuid } } }, () => row.title),
    },
    { title: 'Source', ...sortable('source'), width: 140, render: (row) => row.source_type },
    {
      title: 'Alerts',
      ...sortable('alerts'),
      width: 170,
      render: (row) => {
        const resolved = row.alert_count - row.firing_count;
        return h('span', { class: 'alert-counts' }, [
          h(
            'span',
            { class: row.firing_count > 0 ? 'firing' : 'quiet' },
            `${row.firing_count} firing`,
          ),
          resolved > 0 ? h('span', { class: 'quiet' }, ` · ${resolved} resolved`) : null,
        ]);
      },
    },
    {
      title: 'Age',
      ...sortable('age'),
      width: 90,
      render: (row) =>
        h(
          'time',
          { datetime: row.created_at, title: new Date(row.created_at).toLocaleString() },
          formatAge(row.created_at, now.value),
        ),
    },
  ];
}
