// The step engine's questions as VS Code QuickPick/InputBox with a Back button, step numbers and
// validation as you type. No modal dialogs anywhere.
import * as vscode from 'vscode';
import { BACK, type Back, type InputPrompt, type PickPrompt, type Prompter } from '../engine/engine';

export class QuickInputPrompter implements Prompter {
  pick<T>(p: PickPrompt<T>): Promise<T | Back | undefined> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value: T }>();
      qp.title = p.title;
      qp.step = p.step;
      qp.placeholder = p.placeholder;
      qp.ignoreFocusOut = true;
      qp.matchOnDescription = true;
      qp.matchOnDetail = true;
      qp.items = p.items.map((i) => ({
        label: i.label,
        description: i.description,
        detail: i.detail,
        value: i.value,
      }));
      if (p.canGoBack) qp.buttons = [vscode.QuickInputButtons.Back];
      let done = false;
      const finish = (v: T | Back | undefined) => {
        if (done) return;
        done = true;
        resolve(v);
        qp.dispose();
      };
      qp.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) finish(BACK);
      });
      qp.onDidAccept(() => {
        const sel = qp.selectedItems[0];
        if (sel) finish(sel.value);
        else if (p.acceptTyped && qp.value.trim()) {
          // A typed value matching no item still gets an answer (checked by the next steps).
          const typed = p.acceptTyped(qp.value.trim());
          if (typed !== undefined) finish(typed);
          // QuickPick has no validation message: the title says why Enter did nothing.
          else qp.title = `${p.title} — "${qp.value.trim()}" is not one of the choices`;
        }
      });
      qp.onDidHide(() => finish(undefined));
      qp.show();
    });
  }

  input(p: InputPrompt): Promise<string | Back | undefined> {
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      box.title = p.title;
      box.step = p.step;
      box.prompt = p.prompt;
      box.placeholder = p.placeholder;
      box.value = p.value ?? '';
      box.ignoreFocusOut = true;
      if (p.canGoBack) box.buttons = [vscode.QuickInputButtons.Back];
      let done = false;
      const finish = (v: string | Back | undefined) => {
        if (done) return;
        done = true;
        resolve(v);
        box.dispose();
      };
      const check = () => {
        box.validationMessage = p.validate?.(box.value);
      };
      box.onDidChangeValue(check);
      box.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) finish(BACK);
      });
      box.onDidAccept(() => {
        check();
        if (!box.validationMessage) finish(box.value);
      });
      box.onDidHide(() => finish(undefined));
      box.show();
      if (box.value) check();
    });
  }
}
