import { defineToolProvider, emptyObjectSchema, type ToolProvider } from '@akmatori/core';

/** Credentials of the demo provider: one secret. */
export type DemoCredentials = { readonly token: string; readonly label: string };

/** A small tool provider for gateway tests: a read-only echo and a write that needs approval. */
export const demoTools: ToolProvider<DemoCredentials> = defineToolProvider<DemoCredentials>({
  id: 'demo',
  displayName: 'Demo',
  credentialSchema: {
    type: 'object',
    properties: { token: { type: 'string', secret: true }, label: { type: 'string' } },
  },
  tools: [
    {
      name: 'echo',
      description: 'Echoes text, and (carelessly) the credential',
      readOnly: true,
      inputSchema: {
        type: 'object',
        additionalProperties: false,
        required: ['text'],
        properties: { text: { type: 'string', maxLength: 100 } },
      },
      execute: async (context, args: { text: string }) => {
        // Logs its "command line" the way a command tool does, credential and all.
        context.log.info(
          { command: `echo ${args.text} --auth ${context.credentials.token}` },
          'demo echo',
        );
        return {
          text: `${context.credentials.label} says ${args.text} (token ${context.credentials.token})`,
          structured: { echoed: args.text, token: context.credentials.token },
        };
      },
    },
    {
      name: 'write_file',
      description: 'Pretends to write a file, after approval',
      readOnly: false,
      inputSchema: {
        type: 'object',
        additionalProperties: false,
        required: ['path'],
        properties: { path: { type: 'string' } },
      },
      execute: async (context, args: { path: string }) => {
        const decision = await context.requestApproval({
          summary: `write ${args.path}`,
          details: { path: args.path },
        });
        if (!decision.approved)
          return { text: `Not written: ${decision.reason}`, isError: true, refused: true };
        return { text: `wrote ${args.path}`, exitCode: 0 };
      },
    },
    {
      name: 'fail',
      description: 'Throws',
      readOnly: true,
      inputSchema: emptyObjectSchema,
      execute: async (context) => {
        throw new Error(`boom with ${context.credentials.token}`);
      },
    },
  ],
});
