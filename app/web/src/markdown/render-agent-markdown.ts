import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

/** Link targets allowed: web pages, mail, and links within the dashboard. */
const SAFE_URL = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

/** Tags an agent's report has no use for, even though DOMPurify would keep them. */
const FORBIDDEN_TAGS = ['style', 'form', 'input', 'button', 'textarea', 'select', 'img'];

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
// Images would load from wherever the text says (and the page's CSP refuses them anyway).
markdown.disable('image');
// markdown-it refuses javascript:, vbscript:, file: and most data: links; allow less still.
markdown.validateLink = (url) => SAFE_URL.test(url.trim());

let hooked = false;

/** Links open in a new tab without handing it this page (`rel=noopener noreferrer`). */
function hookLinks(purify: typeof DOMPurify): void {
  if (hooked) return;
  hooked = true;
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A' || !node.hasAttribute('href')) return;
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  });
}

/**
 * HTML for markdown the agent wrote (or anything else untrusted: alert text, skills): raw
 * HTML in it stays text (`html: false`), `javascript:` and other unsafe links are not
 * linked, images are not loaded, and DOMPurify sanitizes the result again before it may be
 * given to `v-html`. Throws where no DOM is available rather than return unsanitized HTML.
 *
 * @example
 * ```ts
 * renderAgentMarkdown('**Root cause**: <script>x</script> [see](javascript:alert(1))');
 * // '<p><strong>Root cause</strong>: &lt;script&gt;x&lt;/script&gt; [see](javascript:alert(1))</p>\n'
 * ```
 */
export function renderAgentMarkdown(text: string): string {
  if (!DOMPurify.isSupported) throw new Error('renderAgentMarkdown needs a DOM to sanitize with');
  hookLinks(DOMPurify);
  return DOMPurify.sanitize(markdown.render(text), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: FORBIDDEN_TAGS,
    FORBID_ATTR: ['style'],
    ADD_ATTR: ['target'],
    ALLOWED_URI_REGEXP: SAFE_URL,
  });
}
