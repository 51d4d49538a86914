const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON that is safe inside a <script> element: `</script>`, `<!--` and the JS line separators
 * U+2028/U+2029 cannot end or break the element, whatever table or column names contain.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A stable, HTML-id-safe anchor for a table or column name (names may hold any character). */
export function anchorId(...parts: readonly string[]): string {
  // '_' only ever starts a two-hex-digit escape, so '__' cannot occur inside a part: ids are unique.
  return parts
    .map((p) =>
      encodeURIComponent(p).replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`),
    )
    .join('__');
}
