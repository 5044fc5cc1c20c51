import assert from 'node:assert/strict';
import {
  BACK,
  type Back,
  type InputPrompt,
  type PickPrompt,
  type Prompter,
  reasonProblem,
  runSteps,
  type Step,
  StepError,
  yesNo,
} from '../../../src/procedures/engine/engine';

interface S {
  color?: string;
  reason?: string;
  done: string[];
}

/** A prompter that answers from a script; each entry is a value, BACK, or undefined (dismiss). */
class ScriptPrompter implements Prompter {
  seen: { kind: 'pick' | 'input'; title: string; step: number; canGoBack: boolean }[] = [];
  constructor(private readonly script: unknown[]) {}
  async pick<T>(p: PickPrompt<T>): Promise<T | Back | undefined> {
    this.seen.push({ kind: 'pick', title: p.title, step: p.step, canGoBack: p.canGoBack });
    return this.script.shift() as T | Back | undefined;
  }
  async input(p: InputPrompt): Promise<string | Back | undefined> {
    this.seen.push({ kind: 'input', title: p.title, step: p.step, canGoBack: p.canGoBack });
    const v = this.script.shift();
    if (typeof v === 'string' && p.validate?.(v)) throw new Error(`prompter would not accept ${v}`);
    return v as string | Back | undefined;
  }
}

function steps(opts: { mutateBetween?: boolean; fail?: boolean } = {}): Step<S>[] {
  return [
    {
      kind: 'ask',
      id: 'color',
      title: 'Color',
      key: 'color',
      pick: () => [
        { label: 'Red', value: 'red' },
        { label: 'Blue', value: 'blue' },
      ],
      apply: (s, v: string) => {
        s.color = v;
      },
    },
    {
      kind: 'do',
      id: 'work',
      title: 'Work',
      mutates: opts.mutateBetween,
      run: async (s, ctx) => {
        s.done.push(`work:${s.color}`);
        ctx.addStep({ id: 'sub', title: 'Sub-step', status: 'ok', detail: 'inside', ms: 1 });
        if (opts.fail) throw new Error('server said no. Action: try later.');
        return { detail: `worked on ${s.color}` };
      },
    },
    {
      kind: 'ask',
      id: 'reason',
      title: 'Reason',
      key: 'reason',
      input: () => ({ prompt: 'why?' }),
      validate: (v) => reasonProblem(v),
      apply: (s, v: string) => {
        s.reason = v;
      },
    },
    {
      kind: 'do',
      id: 'finish',
      title: 'Finish',
      run: async (s) => {
        s.done.push('finish');
        return { status: 'ok', detail: 'done' };
      },
    },
  ];
}

describe('procedures: step engine', () => {
  it('takes every answer from the arguments and records each step with its outcome and duration', async () => {
    const s: S = { done: [] };
    const r = await runSteps(steps(), s, {
      title: 'T',
      answers: { color: 'Blue', reason: 'a good reason here' },
      scripted: true,
    });
    assert.equal(r.status, 'completed');
    assert.equal(
      s.color,
      'blue',
      'a pick answer matches its item case-insensitively and takes the item value',
    );
    assert.deepEqual(
      r.steps.map((x) => [x.id, x.status]),
      [
        ['color', 'ok'],
        ['sub', 'ok'],
        ['work', 'ok'],
        ['reason', 'ok'],
        ['finish', 'ok'],
      ],
    );
    assert.equal(r.steps[0]?.answeredBy, 'argument');
    for (const x of r.steps) {
      assert.ok(Number.isInteger(x.ms) && x.ms >= 0);
      assert.ok(!Number.isNaN(Date.parse(x.startedAt)));
    }
  });

  it('ends with a clear error when a scripted answer is missing or invalid, naming the answer', async () => {
    const missing = await runSteps(
      steps(),
      { done: [] },
      { title: 'T', answers: { color: 'red' }, scripted: true },
    );
    assert.equal(missing.status, 'error');
    assert.equal(missing.error?.step, 'Reason');
    assert.match(missing.error?.message ?? '', /no answer for "reason"/);

    const bad = await runSteps(
      steps(),
      { done: [] },
      { title: 'T', answers: { color: 'green' }, scripted: true },
    );
    assert.equal(bad.status, 'error');
    assert.match(bad.error?.message ?? '', /"color" = green is not one of: red, blue/);

    const short = await runSteps(
      steps(),
      { done: [] },
      { title: 'T', answers: { color: 'red', reason: 'short' }, scripted: true },
    );
    assert.match(short.error?.message ?? '', /at least 10 characters/);
  });

  it('uses a step default only in scripted runs', async () => {
    const withDefault: Step<S>[] = [
      {
        kind: 'ask',
        id: 'c',
        title: 'C',
        key: 'color',
        pick: () => [{ label: 'Red', value: 'red' }],
        defaultAnswer: () => 'red',
        apply: (s, v: string) => {
          s.color = v;
        },
      },
    ];
    const s: S = { done: [] };
    const r = await runSteps(withDefault, s, { title: 'T', answers: {}, scripted: true });
    assert.equal(s.color, 'red');
    assert.equal(r.steps[0]?.answeredBy, 'default');
    const p = new ScriptPrompter(['red']);
    await runSteps(withDefault, { done: [] }, { title: 'T', prompter: p });
    assert.equal(p.seen.length, 1, 'interactive runs ask even when there is a default');
  });

  it('asks through the prompter with step numbers, and Back returns to the previous question', async () => {
    const p = new ScriptPrompter(['red', BACK, 'blue', 'the reason is long enough']);
    const s: S = { done: [] };
    const r = await runSteps(steps(), s, { title: 'Proc', prompter: p });
    assert.equal(r.status, 'completed');
    assert.equal(s.color, 'blue');
    assert.deepEqual(s.done, ['work:red', 'work:blue', 'finish'], 'the read-only step between runs again');
    assert.deepEqual(
      p.seen.map((x) => [x.kind, x.step, x.canGoBack]),
      [
        ['pick', 1, false],
        ['input', 2, true],
        ['pick', 1, false],
        ['input', 2, true],
      ],
    );
    assert.equal(r.steps.filter((x) => x.id === 'work').length, 1, 'the record keeps only the path taken');
    assert.equal(r.steps.find((x) => x.id === 'reason')?.answeredBy, 'prompt');
  });

  it('never goes Back across a step that changed server state', async () => {
    const p = new ScriptPrompter(['red', 'reason long enough']);
    await runSteps(steps({ mutateBetween: true }), { done: [] }, { title: 'T', prompter: p });
    assert.equal(p.seen[1]?.canGoBack, false);
  });

  it('a dismissed prompt cancels the procedure and nothing after it runs', async () => {
    const s: S = { done: [] };
    const r = await runSteps(steps(), s, { title: 'T', prompter: new ScriptPrompter(['red', undefined]) });
    assert.equal(r.status, 'cancelled');
    assert.deepEqual(s.done, ['work:red']);
    assert.equal(r.steps.at(-1)?.status, 'cancelled');
  });

  it('a failing step ends the run with its title and the message (no stack)', async () => {
    const r = await runSteps(
      steps({ fail: true }),
      { done: [] },
      { title: 'T', answers: { color: 'red' }, scripted: true },
    );
    assert.equal(r.status, 'error');
    assert.deepEqual(r.error, { step: 'Work', message: 'server said no. Action: try later.' });
    assert.equal(r.steps.find((x) => x.id === 'work')?.status, 'error');
    assert.ok(
      r.steps.some((x) => x.id === 'sub'),
      'sub-steps recorded before the failure stay in the record',
    );
  });

  it('a StepError carries its own status; stop ends the run as stopped', async () => {
    const blocked = await runSteps<S>(
      [
        {
          kind: 'do',
          id: 'a',
          title: 'A',
          run: async () => {
            throw new StepError('nope', 'blocked');
          },
        },
      ],
      { done: [] },
      { title: 'T' },
    );
    assert.equal(blocked.steps[0]?.status, 'blocked');
    const stopped = await runSteps<S>(
      [
        {
          kind: 'do',
          id: 'a',
          title: 'A',
          run: async () => ({ status: 'blocked', stop: true, detail: 'PERMISSION_DENIED' }),
        },
        { kind: 'do', id: 'b', title: 'B', run: async (s) => void s.done.push('b') },
      ],
      { done: [] },
      { title: 'T' },
    );
    assert.equal(stopped.status, 'stopped');
    assert.deepEqual(
      stopped.steps.map((x) => x.id),
      ['a'],
    );
  });

  it('an aborted signal cancels before the next step', async () => {
    const ac = new AbortController();
    const s: S = { done: [] };
    const r = await runSteps<S>(
      [
        {
          kind: 'do',
          id: 'a',
          title: 'A',
          run: async (st) => {
            st.done.push('a');
            ac.abort();
          },
        },
        { kind: 'do', id: 'b', title: 'B', run: async (st) => void st.done.push('b') },
      ],
      s,
      { title: 'T', signal: ac.signal },
    );
    assert.equal(r.status, 'cancelled');
    assert.deepEqual(s.done, ['a']);
  });

  it('reads yes/no answers and checks reasons', () => {
    assert.equal(yesNo('Yes'), true);
    assert.equal(yesNo('no'), false);
    assert.equal(yesNo(true), true);
    assert.equal(reasonProblem('   short   '), 'at least 10 characters (it goes into the audit trail)');
    assert.equal(reasonProblem('long enough reason'), undefined);
    assert.equal(reasonProblem(42), 'must be text');
  });
});
