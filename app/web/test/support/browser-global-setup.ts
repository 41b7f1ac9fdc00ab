import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where test files ask for the run's one shared Chromium (see `shared-browser.ts`). */
    browserBrokerUrl: string;
  }
}

/** Debian's Chromium (`apt-get install chromium`): browsers cannot be downloaded here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let broker: Server | undefined;
let browser: Promise<BrowserServer> | undefined;

/**
 * One Chromium for the whole run, launched only when a browser test first asks for it: runs
 * without browser tests do not pay for it. Test files get its endpoint from a small HTTP
 * broker in this (the main) process and connect to it.
 */
export async function setup(project: TestProject): Promise<void> {
  broker = createServer((request, response) => {
    if (request.url !== '/browser') {
      response.writeHead(404).end();
      return;
    }
    browser ??= chromium.launchServer({ executablePath: CHROMIUM_PATH, headless: true });
    browser.then(
      (server) => response.end(server.wsEndpoint()),
      (error: Error) => {
        browser = undefined;
        response
          .writeHead(500)
          .end(
            `Chromium did not start from ${CHROMIUM_PATH} (apt-get install chromium): ${error.message}`,
          );
      },
    );
  });
  await new Promise<void>((resolve) => broker!.listen(0, '127.0.0.1', resolve));
  const { port } = broker.address() as AddressInfo;
  project.provide('browserBrokerUrl', `http://127.0.0.1:${port}`);
}

export async function teardown(): Promise<void> {
  await new Promise((resolve) => broker?.close(resolve) ?? resolve(undefined));
  await (await browser?.catch(() => undefined))?.close();
}
