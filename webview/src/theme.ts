/**
 * Colours for what is drawn on canvas, read from VS Code's theme variables (which CSS cannot reach
 * inside a canvas), re-read when the theme changes (VS Code rewrites the variables on <html> and the
 * theme class on <body>).
 */
export interface CanvasColors {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  lane: string;
  life: string;
  step: string;
  failed: string;
  done: string;
  cancelled: string;
  selection: string;
  now: string;
  font: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

export function readColors(): CanvasColors {
  const s = getComputedStyle(document.documentElement);
  const family = cssVar(s, '--vscode-font-family', 'system-ui, sans-serif');
  const size = cssVar(s, '--vscode-font-size', '13px');
  return {
    background: cssVar(s, '--vscode-editor-background', '#1e1e1e'),
    foreground: cssVar(s, '--vscode-foreground', '#cccccc'),
    muted: cssVar(s, '--vscode-descriptionForeground', '#9d9d9d'),
    grid: cssVar(s, '--vscode-editorWidget-border', '#454545'),
    lane: cssVar(s, '--vscode-list-hoverBackground', 'rgba(90,93,94,0.31)'),
    life: cssVar(s, '--vscode-editorLineNumber-foreground', '#6e7681'),
    step: cssVar(s, '--vscode-charts-blue', '#3794ff'),
    failed: cssVar(s, '--vscode-charts-red', '#f14c4c'),
    done: cssVar(s, '--vscode-charts-green', '#89d185'),
    cancelled: cssVar(s, '--vscode-charts-yellow', '#cca700'),
    selection: cssVar(s, '--vscode-list-activeSelectionBackground', '#04395e'),
    now: cssVar(s, '--vscode-charts-orange', '#d18616'),
    font: `${parseFloat(size) ? `${Math.max(10, parseFloat(size) - 1)}px` : '12px'} ${family}`,
  };
}

/** Calls `fn` when VS Code switches theme. */
export function onThemeChange(fn: () => void): void {
  const observer = new MutationObserver(fn);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  if (document.body) observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
