// Renders Markdown the way VS Code's preview does (markdown-it with linkify; installed with the
// packaging tool), so tests can check what a reader would actually see.
import { createRequire } from 'node:module';

type MarkdownIt = { render(src: string): string };
const MarkdownItCtor = createRequire(__filename)('markdown-it') as new (opts: {
  linkify: boolean;
}) => MarkdownIt;

export function renderMarkdown(markdown: string): string {
  return new MarkdownItCtor({ linkify: true }).render(markdown);
}
