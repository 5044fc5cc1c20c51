import assert from 'node:assert/strict';
import { isLoopback, localSandbox, parseEnvironments } from '../../../src/connection/environments';

describe('environments setting', () => {
  it('always offers the local sandbox, on the configured port or the harness URL', () => {
    assert.equal(localSandbox({ port: 8765 }).url, 'http://127.0.0.1:8765');
    assert.equal(
      localSandbox({ port: 1, urlOverride: 'http://127.0.0.1:4000/' }).url,
      'http://127.0.0.1:4000',
    );
    assert.equal(localSandbox({ port: 1 }).isLocalSandbox, true);
  });
  it('keeps valid entries and names what is wrong with the others', () => {
    const { environments, problems } = parseEnvironments([
      { name: 'Production', url: 'https://api.solvereign.com/', tenant: 'lts', site: 'wien' },
      { name: 'Staging', url: 'http://staging.example.com', tenant: 'lts', site: 'wien' },
      { name: 'Dev', url: 'http://localhost:9000', tenant: 'lts', site: 'wien' },
      { name: 'Broken', url: 'not a url', tenant: 'lts', site: 'wien' },
      { name: 'Incomplete', url: 'https://x.example.com' },
      { name: 'Production', url: 'https://other.example.com', tenant: 'lts', site: 'wien' },
    ]);
    assert.deepEqual(
      environments.map((e) => [e.id, e.url]),
      [
        ['env-production', 'https://api.solvereign.com'],
        ['env-dev', 'http://localhost:9000'],
      ],
    );
    assert.equal(problems.length, 4);
    assert.match(problems[0]!.message, /Staging: use https/);
    assert.match(problems[1]!.message, /not a URL/);
    assert.match(problems[2]!.message, /needs name, url, tenant and site/);
    assert.match(problems[3]!.message, /duplicate/);
  });
  it('reports a setting that is not a list', () => {
    assert.equal(parseEnvironments({}).problems.length, 1);
    assert.deepEqual(parseEnvironments(undefined), { environments: [], problems: [] });
  });
  it('knows loopback hosts', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) assert.ok(isLoopback(h), h);
    for (const h of ['10.0.0.1', 'example.com', '128.0.0.1']) assert.ok(!isLoopback(h), h);
  });
});
