/**
 * The Task Inspector webview's page: a strict Content-Security-Policy (scripts only with this load's
 * nonce, styles and fonts only from the extension's own files, nothing else), the codicons and
 * webview stylesheets, and the bundled script. No inline handlers or styles; every value inserted
 * is escaped. The webview script mounts itself on #app.
 */
export interface InspectorPage {
  /** webview.cspSource */
  cspSource: string;
  /** A fresh random value per page load. */
  nonce: string;
  /** webview.asWebviewUri(...) of dist/webview/main.js, style.css and codicon.css, as strings. */
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${cspSource}`, `font-src ${cspSource}`].join('; ');
}

export function inspectorHtml(p: InspectorPage): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(p.nonce)) throw new Error('inspectorHtml: the nonce must be at least 16 base64 characters');
  const e = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${e(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${e(p.codiconsUri)}">
<link rel="stylesheet" href="${e(p.styleUri)}">
<title>Task Inspector</title>
</head>
<body>
<div id="app"></div>
<script nonce="${e(p.nonce)}" src="${e(p.scriptUri)}"></script>
</body>
</html>
`;
}
