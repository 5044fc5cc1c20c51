// "Where does this violation come from?": opens the run's input forecast at a line (a matching
// `*.forecast` file of the workspace when there is one, else the forecast from the evidence pack as
// an untitled document), or an evidence file near a piece of text.
import * as vscode from 'vscode';
import type { SolvereignClient } from '../api/client';
import { FORECAST_LANGUAGE_ID } from '../language/ids';
import { findLine, forecastEntryName } from '../reports/evidence';
import { readZip } from '../shared/zip';

export interface SourceResult {
  runId: string;
  file: string;
  /** 1-based line shown. */
  line: number;
  source: 'workspace' | 'evidence';
  uri: string;
  note?: string;
}

const normalize = (s: string) => s.replace(/\r\n?/g, '\n').replace(/\s+$/, '');

export class SourceOpener {
  private readonly packs = new Map<string, Map<string, Buffer>>();
  private readonly untitled = new Map<string, vscode.TextDocument>();

  constructor(private readonly clientFor: () => SolvereignClient) {}

  private async pack(runId: string): Promise<Map<string, Buffer>> {
    const cached = this.packs.get(runId);
    if (cached) return cached;
    const { zip } = await this.clientFor().evidence(runId);
    const files = readZip(zip);
    this.packs.set(runId, files);
    if (this.packs.size > 6) this.packs.delete(this.packs.keys().next().value!);
    return files;
  }

  /** The run's input forecast text and its name in the evidence pack. */
  async forecast(runId: string): Promise<{ name: string; text: string }> {
    const files = await this.pack(runId);
    const name = forecastEntryName([...files.keys()]);
    if (!name)
      throw new Error(
        `The evidence pack of ${runId} has no input forecast (files: ${[...files.keys()].join(', ')}).`,
      );
    return { name, text: files.get(name)!.toString('utf8') };
  }

  private async workspaceMatch(text: string): Promise<vscode.Uri | undefined> {
    if (!vscode.workspace.workspaceFolders?.length) return undefined;
    const want = normalize(text);
    const uris = await vscode.workspace.findFiles('**/*.forecast', '**/node_modules/**', 200);
    for (const uri of uris) {
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        if (normalize(Buffer.from(bytes).toString('utf8')) === want) return uri;
      } catch {
        // unreadable: not the one
      }
    }
    return undefined;
  }

  private async untitledDoc(key: string, content: string, language: string): Promise<vscode.TextDocument> {
    const have = this.untitled.get(key);
    if (have && !have.isClosed) return have;
    const languages = await vscode.languages.getLanguages();
    const doc = await vscode.workspace.openTextDocument({
      content,
      language: languages.includes(language) ? language : 'plaintext',
    });
    this.untitled.set(key, doc);
    return doc;
  }

  private async reveal(doc: vscode.TextDocument, line0: number, column: vscode.ViewColumn): Promise<number> {
    const line = Math.max(0, Math.min(line0, doc.lineCount - 1));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: false });
    const range = doc.lineAt(line).range;
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
    return line + 1;
  }

  /** Opens the run's forecast at a 1-based line. */
  async openForecastLine(
    runId: string,
    line: number | undefined,
    column: vscode.ViewColumn,
  ): Promise<SourceResult> {
    const { name, text } = await this.forecast(runId);
    const uri = await this.workspaceMatch(text);
    const doc = uri
      ? await vscode.workspace.openTextDocument(uri)
      : await this.untitledDoc(`${runId}:${name}`, text, FORECAST_LANGUAGE_ID);
    const wanted = line ?? 1;
    const shown = await this.reveal(doc, wanted - 1, column);
    return {
      runId,
      file: name,
      line: shown,
      source: uri ? 'workspace' : 'evidence',
      uri: doc.uri.toString(),
      note:
        shown !== wanted ? `The forecast has only ${doc.lineCount} lines; showing line ${shown}.` : undefined,
    };
  }

  /** Opens an evidence file of the run, at the first line containing `search`. */
  async openEvidenceFile(
    runId: string,
    file: string,
    search: string | undefined,
    column: vscode.ViewColumn,
  ): Promise<SourceResult> {
    const files = await this.pack(runId);
    if (forecastEntryName([...files.keys()]) === file) {
      return this.openForecastLine(runId, undefined, column);
    }
    const data = files.get(file);
    if (!data) throw new Error(`The evidence pack of ${runId} has no ${file}.`);
    const text = data.toString('utf8');
    const language = /\.json$/i.test(file)
      ? 'json'
      : /\.forecast$/i.test(file)
        ? FORECAST_LANGUAGE_ID
        : 'plaintext';
    const doc = await this.untitledDoc(`${runId}:${file}`, text, language);
    const idx = findLine(text, search);
    const shown = await this.reveal(doc, Math.max(0, idx), column);
    return {
      runId,
      file,
      line: shown,
      source: 'evidence',
      uri: doc.uri.toString(),
      note: search && idx < 0 ? `"${search.slice(0, 60)}" was not found in ${file}.` : undefined,
    };
  }

  clear(): void {
    this.packs.clear();
  }
}
