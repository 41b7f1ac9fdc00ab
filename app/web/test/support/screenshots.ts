import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';

/** Pixels that may differ (anti-aliasing, sub-pixel text) before a screenshot counts as new. */
const TOLERATED_SHARE = 0.001;

/**
 * Takes a screenshot of `page` into `file` (a PNG under docs/), but leaves the file as it is
 * when it already shows the same picture: Chromium's PNGs of one page differ by a few
 * anti-aliased pixels from run to run, and a test run should not leave changed docs behind
 * unless the page really changed. The comparison decodes both images in the browser itself.
 * What differs from run to run by nature (times of day, ids) can be left out of the comparison
 * with `ignore`: the picture still shows it, but it alone does not make a new file.
 *
 * @example
 * ```ts
 * await saveScreenshot(page, path.join(SCREENSHOTS, 'login.png'));
 * await saveScreenshot(page, file, { ignore: [page.locator('time')] });
 * ```
 */
export async function saveScreenshot(
  page: Page,
  file: string,
  options: { ignore?: readonly Locator[] } = {},
): Promise<void> {
  const taken = await page.screenshot({ animations: 'disabled' });
  const boxes: Box[] = [];
  for (const locator of options.ignore ?? []) {
    for (const one of await locator.all()) {
      const box = await one.boundingBox();
      if (box !== null) boxes.push(box);
    }
  }
  if (existsSync(file) && (await samePicture(page, readFileSync(file), taken, boxes))) return;
  writeFileSync(file, taken);
}

/** A region of the page, in CSS pixels from the viewport's top left (the screenshot's). */
interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
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

async function samePicture(
  page: Page,
  a: Buffer,
  b: Buffer,
  ignored: readonly Box[],
): Promise<boolean> {
  const blank = await page.context().newPage();
  try {
    const share = await blank.evaluate(
      async ([first, second, skip]) => {
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
        // Ignored regions, with a pixel of margin for anti-aliased edges.
        const skipped = (at: number): boolean => {
          const [px, py] = [(at / 4) % x.width, Math.floor(at / 4 / x.width)];
          return skip.some(
            (box) =>
              px >= box.x - 1 &&
              px <= box.x + box.width + 1 &&
              py >= box.y - 1 &&
              py <= box.y + box.height + 1,
          );
        };
        let differing = 0;
        for (let i = 0; i < x.data.length; i += 4) {
          for (let channel = 0; channel < 4; channel += 1) {
            if (Math.abs(x.data[i + channel]! - y.data[i + channel]!) > 24) {
              if (!skipped(i)) differing += 1;
              break;
            }
          }
        }
        return differing / (x.width * x.height);
      },
      [a.toString('base64'), b.toString('base64'), ignored] as const,
    );
    return share <= TOLERATED_SHARE;
  } finally {
    await blank.close();
  }
}
