import assert from 'node:assert/strict';
import {
  BACK,
  confirmStep,
  reasonProblem,
  runSteps,
  type Step,
  StepError,
  yesNo,
} from '../../../src/procedures/engine/engine';
import { ScriptPrompter } from './scriptPrompter';

interface S {
  color?: string;
  reason?: string;
  done: string[];
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

  it('an invalid argument answer on a step that refuses stops the procedure with the rule, not an error', async () => {
    const refusing = steps().map((st) =>
      st.id === 'reason' && st.kind === 'ask'
        ? {
            ...st,
            refuse: (problem: string, s: S) => {
              s.done.push('refused');
              return { status: 'blocked' as const, detail: `REASON_REQUIRED: ${problem}` };
            },
          }
        : st,
    );
    const s: S = { done: [] };
    const r = await runSteps(refusing, s, {
      title: 'T',
      answers: { color: 'red', reason: '  short  ' },
      scripted: true,
    });
    assert.equal(r.status, 'stopped');
    assert.equal(r.error, undefined);
    assert.deepEqual(s.done, ['work:red', 'refused'], 'nothing after the refused answer ran');
    const row = r.steps.find((x) => x.id === 'reason');
    assert.equal(row?.status, 'blocked');
    assert.match(row?.detail ?? '', /REASON_REQUIRED: at least 10 characters/);
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
    assert.deepEqual(
      s.done,
      ['work:blue', 'finish'],
      'Back restores the state from before the question: what the step between did for red is gone',
    );
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

  describe('Back restores the state', () => {
    interface W {
      runId?: string;
      run?: string;
      mode?: 'simple' | 'full';
      detail?: string;
      items?: string[];
      item?: string;
      reason?: string;
      log: string[];
      sent?: string;
    }
    const reason: Step<W> = {
      kind: 'ask',
      id: 'reason',
      title: 'Reason',
      key: 'reason',
      input: () => ({ prompt: 'why?' }),
      apply: (s, v: string) => {
        s.reason = v;
      },
    };

    it('a picker hidden by `when` once answered comes back (choose run A, Back at the reason -> run picker)', async () => {
      const picked: Step<W>[] = [
        {
          kind: 'ask',
          id: 'run',
          title: 'Run',
          key: 'run',
          when: (s) => !s.runId,
          pick: () => [
            { label: 'A', value: 'RUN-A' },
            { label: 'B', value: 'RUN-B' },
          ],
          apply: (s, v: string) => {
            s.runId = v;
          },
        },
        {
          kind: 'do',
          id: 'read',
          title: 'Read the run',
          run: async (s) => {
            s.run = `detail of ${s.runId}`;
            s.log.push(`read ${s.runId}`);
          },
        },
        reason,
        {
          kind: 'do',
          id: 'send',
          title: 'Send',
          mutates: true,
          run: async (s) => {
            s.sent = s.runId;
          },
        },
      ];
      const p = new ScriptPrompter(['RUN-A', BACK, 'RUN-B', 'because of B']);
      const s: W = { log: [] };
      const r = await runSteps(picked, s, { title: 'SP', prompter: p });
      assert.equal(r.status, 'completed');
      assert.deepEqual(
        p.seen.map((x) => [x.title === 'SP' && x.kind, x.step, x.canGoBack]),
        [
          ['pick', 1, false],
          ['input', 2, true],
          ['pick', 1, false],
          ['input', 2, true],
        ],
        'the run picker is asked again and the reason prompt keeps its Back button',
      );
      assert.equal(s.sent, 'RUN-B', 'the run sent is the one chosen last');
      assert.equal(s.run, 'detail of RUN-B');
      assert.deepEqual(s.log, ['read RUN-B'], 'what was read for run A is forgotten');
      assert.deepEqual(
        r.steps.map((x) => [x.id, x.detail]),
        [
          ['run', 'RUN-B'],
          ['read', ''],
          ['reason', 'because of B'],
          ['send', ''],
        ],
        'the record keeps the "run" row of the path taken',
      );
    });

    it('Back over a conditional question: hidden again when the earlier answer no longer asks for it', async () => {
      const cond: Step<W>[] = [
        {
          kind: 'ask',
          id: 'mode',
          title: 'Mode',
          key: 'mode',
          pick: () => [
            { label: 'Simple', value: 'simple' },
            { label: 'Full', value: 'full' },
          ],
          apply: (s, v: 'simple' | 'full') => {
            s.mode = v;
          },
        },
        {
          kind: 'ask',
          id: 'detail',
          title: 'Detail',
          key: 'detail',
          when: (s) => s.mode === 'full',
          input: () => ({ prompt: 'detail?' }),
          apply: (s, v: string) => {
            s.detail = v;
          },
        },
        reason,
      ];
      const p = new ScriptPrompter(['full', 'some detail', BACK, BACK, 'simple', 'simple is enough']);
      const s: W = { log: [] };
      const r = await runSteps(cond, s, { title: 'T', prompter: p });
      assert.equal(r.status, 'completed');
      assert.deepEqual(
        p.seen.map((x) => [x.kind, x.step, x.canGoBack]),
        [
          ['pick', 1, false],
          ['input', 2, true],
          ['input', 3, true],
          ['input', 2, true],
          ['pick', 1, false],
          ['input', 2, true],
        ],
      );
      assert.equal(s.mode, 'simple');
      assert.equal(s.detail, undefined, 'the detail answered for "full" is gone with it');
      assert.deepEqual(
        r.steps.map((x) => x.id),
        ['mode', 'reason'],
      );
    });

    it('Back after an answer that changed later steps: the later choices follow the new answer', async () => {
      const chain: Step<W>[] = [
        {
          kind: 'ask',
          id: 'mode',
          title: 'Colour',
          key: 'mode',
          pick: () => [
            { label: 'Simple', value: 'simple' },
            { label: 'Full', value: 'full' },
          ],
          apply: (s, v: 'simple' | 'full') => {
            s.mode = v;
          },
        },
        {
          kind: 'do',
          id: 'list',
          title: 'List',
          run: async (s) => {
            s.items = [`${s.mode}-1`, `${s.mode}-2`];
            s.log.push(`listed ${s.mode}`);
          },
        },
        {
          kind: 'ask',
          id: 'item',
          title: 'Item',
          key: 'item',
          pick: (s) => (s.items ?? []).map((i) => ({ label: i, value: i })),
          apply: (s, v: string) => {
            s.item = v;
          },
        },
        reason,
      ];
      const p = new ScriptPrompter(['simple', 'simple-1', BACK, BACK, 'full', 'full-2', 'full is right']);
      const s: W = { log: [] };
      await runSteps(chain, s, { title: 'T', prompter: p });
      assert.deepEqual(p.seen[5]?.shown, ['full-1', 'full-2'], "the item list is the new answer's");
      assert.equal(s.item, 'full-2');
      assert.deepEqual(s.log, ['listed full']);
    });

    it('cancel mid-way leaves nothing half-done: No, dismiss or a scripted No at the confirmation sends nothing', async () => {
      const confirmed: Step<W>[] = [
        reason,
        confirmStep<W>({
          title: 'Confirm',
          rows: (s) => [
            ['Run', 'RUN-A'],
            ['Reason', s.reason ?? ''],
          ],
          go: () => 'Send now',
          keep: (s) => {
            s.sent = `prepared ${s.reason}`;
          },
        }),
        {
          kind: 'do',
          id: 'send',
          title: 'Send',
          mutates: true,
          run: async (s) => {
            s.log.push(`sent ${s.sent}`);
          },
        },
      ];
      for (const answer of [false, undefined]) {
        const s: W = { log: [] };
        const p = new ScriptPrompter(['a long enough reason', answer]);
        const r = await runSteps(confirmed, s, { title: 'T', prompter: p });
        assert.equal(r.status, 'cancelled');
        assert.deepEqual(s.log, [], `nothing sent after ${String(answer)}`);
        assert.equal(s.sent, undefined, 'nothing prepared either');
        assert.equal(r.steps.at(-1)?.id, 'confirm');
        assert.equal(r.steps.at(-1)?.status, 'cancelled');
        assert.deepEqual(p.seen[1]?.shown, ['Send now', 'Cancel — send nothing']);
        assert.match(p.seen[1]?.placeholder ?? '', /Run: RUN-A · Reason: a long enough reason/);
      }
      const scripted: W = { log: [] };
      const r = await runSteps(confirmed, scripted, {
        title: 'T',
        answers: { reason: 'a long enough reason', confirm: 'no' },
        scripted: true,
      });
      assert.equal(r.status, 'cancelled');
      assert.deepEqual(scripted.log, []);
      const yes: W = { log: [] };
      await runSteps(confirmed, yes, {
        title: 'T',
        answers: { reason: 'a long enough reason' },
        scripted: true,
      });
      assert.deepEqual(yes.log, ['sent prepared a long enough reason'], 'scripted runs confirm by default');
    });
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
