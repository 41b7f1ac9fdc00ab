import { chromium, type Browser } from 'playwright-core';
import { inject } from 'vitest';

/**
 * The run's shared Chromium (launched once, by `browser-global-setup.ts`), connected for
 * this test file. Close what it returns in `afterAll`; that ends this file's connection and
 * its pages, not the browser.
 *
 * @example
 * ```ts
 * const browser = await sharedBrowser();
 * const page = await browser.newPage();
 * ```
 */
export async function sharedBrowser(): Promise<Browser> {
  const response = await fetch(`${inject('browserBrokerUrl')}/browser`);
  const text = await response.text();
  if (!response.ok) throw new Error(text);
  return chromium.connect(text);
}
