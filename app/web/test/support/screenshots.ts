import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** Pixels that may differ (anti-aliasing, sub-pixel text) before a screenshot counts as new. */
const TOLERATED_SHARE = 0.001;

/**
 * Takes a screenshot of `page` into `file` (a PNG under docs/), but leaves the file as it is
 * when it already shows the same picture: Chromium's PNGs of one page differ by a few
 * anti-aliased pixels from run to run, and a test run should not leave changed docs behind
 * unless the page really changed. The comparison decodes both images in the browser itself.
 *
 * @example
 * ```ts
 * await saveScreenshot(page, path.join(SCREENSHOTS, 'login.png'));
 * ```
 */
export async function saveScreenshot(page: Page, file: string): Promise<void> {
  const taken = await page.screenshot({ animations: 'disabled' });
  if (existsSync(file) && (await samePicture(page, readFileSync(file), taken))) return;
  writeFileSync(file, taken);
}

/** What the comparison uses of the browser (it runs there, where these are globals). */
interface InBrowser {
  Image: new () => { src: string; width: number; height: number; decode(): Promise<void> };
  document: { createElement(tag: 'canvas'): Canvas };
}
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    drawImage(image: unknown, x: number, y: number): void;
    getImageData(x: number, y: number, width: number, height: number): Pixels;
  } | null;
}
interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

async function samePicture(page: Page, a: Buffer, b: Buffer): Promise<boolean> {
  const blank = await page.context().newPage();
  try {
    const share = await blank.evaluate(
      async ([first, second]) => {
        const { Image, document } = globalThis as unknown as InBrowser;
        const load = async (base64: string): Promise<Pixels> => {
          const image = new Image();
          image.src = `data:image/png;base64,${base64}`;
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = image.width;
          canvas.height = image.height;
          const context = canvas.getContext('2d')!;
          context.drawImage(image, 0, 0);
          return context.getImageData(0, 0, image.width, image.height);
        };
        const [x, y] = [await load(first), await load(second)];
        if (x.width !== y.width || x.height !== y.height) return 1;
        let differing = 0;
        for (let i = 0; i < x.data.length; i += 4) {
          for (let channel = 0; channel < 4; channel += 1) {
            if (Math.abs(x.data[i + channel]! - y.data[i + channel]!) > 24) {
              differing += 1;
              break;
            }
          }
        }
        return differing / (x.width * x.height);
      },
      [a.toString('base64'), b.toString('base64')] as const,
    );
    return share <= TOLERATED_SHARE;
  } finally {
    await blank.close();
  }
}
