// A Prompter that answers from a script, for engine and flow tests: each entry is a value, BACK,
// undefined (dismiss), or a function of the prompt (to act while the question is open).
import type { Back, InputPrompt, PickPrompt, Prompter } from '../../../src/procedures/engine/engine';

export type ScriptEntry = unknown | ((p: PickPrompt<unknown> | InputPrompt) => unknown | Promise<unknown>);

export interface SeenPrompt {
  kind: 'pick' | 'input';
  title: string;
  step: number;
  canGoBack: boolean;
  /** Pick: the item labels; input: the prompt. */
  shown: string[];
  placeholder?: string;
}

export class ScriptPrompter implements Prompter {
  seen: SeenPrompt[] = [];
  constructor(private readonly script: ScriptEntry[]) {}
  private async next(p: PickPrompt<unknown> | InputPrompt): Promise<unknown> {
    if (!this.script.length) throw new Error(`the script has no answer for "${p.placeholder ?? p.title}"`);
    const v = this.script.shift();
    return typeof v === 'function' ? await (v as (p: unknown) => unknown)(p) : v;
  }
  async pick<T>(p: PickPrompt<T>): Promise<T | Back | undefined> {
    this.seen.push({
      kind: 'pick',
      title: p.title,
      step: p.step,
      canGoBack: p.canGoBack,
      shown: p.items.map((i) => i.label),
      placeholder: p.placeholder,
    });
    return (await this.next(p as PickPrompt<unknown>)) as T | Back | undefined;
  }
  async input(p: InputPrompt): Promise<string | Back | undefined> {
    this.seen.push({
      kind: 'input',
      title: p.title,
      step: p.step,
      canGoBack: p.canGoBack,
      shown: [p.prompt],
      placeholder: p.placeholder,
    });
    const v = await this.next(p);
    if (typeof v === 'string' && p.validate?.(v)) throw new Error(`prompter would not accept ${v}`);
    return v as string | Back | undefined;
  }
}
