import { describe, expect, it } from 'vitest';
import { defaultInvestigationInstructions, renderAgentsMd } from './agents-md.js';

describe('renderAgentsMd', () => {
  it('writes the title, the default instructions, the incident context and extra sections in order', () => {
    const text = renderAgentsMd({
      context: '- DiskFull on web-1',
      sections: [{ title: 'Runbook', body: 'Check /var/log first.' }],
    });
    expect(text).toBe(
      `# Incident investigation\n\n${defaultInvestigationInstructions}\n\n## Incident context\n\n- DiskFull on web-1\n\n## Runbook\n\nCheck /var/log first.\n`,
    );
  });

  it('uses the caller’s title and instructions and skips an empty context', () => {
    expect(
      renderAgentsMd({ title: 'Follow-up', instructions: 'Answer briefly.', context: '  ' }),
    ).toBe('# Follow-up\n\nAnswer briefly.\n');
  });

  it('tells the agent about skills, the gateway tools and approvals', () => {
    expect(defaultInvestigationInstructions).toContain('.agents/skills/');
    expect(defaultInvestigationInstructions).toContain('`akmatori` MCP server');
    expect(defaultInvestigationInstructions).toMatch(/approval/);
  });
});
