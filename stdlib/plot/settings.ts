/**
 * Process-wide plotting settings: the default figure size and the static PNG fallback switch.
 *
 * Role: the one mutable place behind `d2l.setFigsize` and `configurePlots`. Boundary: plain data;
 * reading the environment happens once, at import.
 */

/** Figure sizes are given in inches, as in matplotlib; this many CSS pixels draw one inch. */
export const PX_PER_INCH = 120;

export interface PlotSettings {
  /** Default size of new figures in inches (matplotlib's rcParams['figure.figsize']). */
  figsize: [number, number];
  /** Add a static `image/png` rendering (headless Chromium) to every displayed figure. */
  png: boolean;
  /** Seconds the PNG renderer's browser stays open without work before it closes. */
  pngIdleSeconds: number;
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

export const settings: PlotSettings = {
  figsize: [6.4, 4.8],
  png: truthy(globalThis.process?.env?.GRADLAB_PLOT_PNG),
  pngIdleSeconds: 30,
};

/**
 * Changes plotting settings for the rest of the session.
 * @example configurePlots({ png: true }) // figures now also carry a PNG for static viewers
 */
export function configurePlots(options: Partial<PlotSettings>): PlotSettings {
  if (options.figsize) settings.figsize = checkFigsize(options.figsize);
  if (options.png !== undefined) settings.png = options.png;
  if (options.pngIdleSeconds !== undefined) settings.pngIdleSeconds = options.pngIdleSeconds;
  return { ...settings, figsize: [...settings.figsize] };
}

export function checkFigsize(figsize: readonly number[]): [number, number] {
  const [w, h] = figsize;
  if (figsize.length !== 2 || !(w! > 0) || !(h! > 0)) {
    throw new RangeError(`plot: figsize must be [width, height] in inches, both positive; got [${figsize.join(", ")}]`);
  }
  return [w!, h!];
}
