// Server strings in Markdown (tooltips, procedure records): shown as the text they are, never as a
// link, an image or HTML. No `vscode` here.

/** Plain text as Markdown: every ASCII punctuation mark escaped (renders as the same text). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-.!|~:@&"'=^$%?/;,]/g, '\\$&').replace(/\r?\n/g, ' ');
}

const CODE_SPAN = /(`+)[\s\S]*?\1/g;

/**
 * Markdown written by us around server strings: emphasis and code spans keep working, but nothing
 * becomes a link or an image — brackets and angle brackets are escaped (our own `<br>` stays) and the
 * dots, `@` and `://` that autolinkers look for are escaped outside code spans.
 */
export function neutralizeLinks(markdown: string): string {
  let out = '';
  let last = 0;
  for (const m of markdown.matchAll(CODE_SPAN)) {
    out += neutralizeText(markdown.slice(last, m.index)) + m[0];
    last = (m.index ?? 0) + m[0].length;
  }
  return out + neutralizeText(markdown.slice(last));
}

const WORD = /[A-Za-z0-9_-]/;

// One pass, so an already escaped character (an odd run of backslashes) is left as it is.
function neutralizeText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      out += c + (text[i + 1] ?? '');
      i++;
    } else if (c === '[' || c === ']') out += `\\${c}`;
    else if (c === '<' && !text.startsWith('<br>', i)) out += '\\<';
    else if ((c === '.' || c === '@') && WORD.test(text[i - 1] ?? '') && WORD.test(text[i + 1] ?? ''))
      out += `\\${c}`;
    else if (c === ':' && text.startsWith('//', i + 1)) out += '\\:';
    else out += c;
  }
  return out;
}
