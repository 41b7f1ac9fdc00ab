import { defineComponent, h, type PropType } from 'vue';
import type { TimelineItem } from './timeline-items';

/**
 * One step of the run timeline: heading, status, time, body and output. Written as a render
 * function so its component test runs without a .vue compiler; every field is a text node
 * (never HTML), so hostile agent or alert text stays inert.
 */
export const TimelineEntry = defineComponent({
  name: 'TimelineEntry',
  props: { item: { type: Object as PropType<TimelineItem>, required: true } },
  setup(props) {
    return () => {
      const item = props.item;
      return h(
        'article',
        {
          class: ['timeline-entry', `timeline-entry--${item.kind}`, { failed: item.failed }],
          'data-kind': item.kind,
        },
        [
          h('header', { class: 'timeline-entry__head' }, [
            h('strong', item.title),
            item.status === undefined || item.status === ''
              ? null
              : h('span', { class: 'timeline-entry__status' }, item.status),
            h(
              'time',
              { datetime: item.at, class: 'timeline-entry__time' },
              new Date(item.at).toLocaleTimeString(),
            ),
          ]),
          item.body === ''
            ? null
            : h(
                item.kind === 'message' || item.kind === 'reasoning' ? 'p' : 'pre',
                { class: 'timeline-entry__body' },
                item.body,
              ),
          item.detail === undefined || item.detail === ''
            ? null
            : h('pre', { class: 'timeline-entry__detail' }, item.detail),
        ],
      );
    };
  },
});
