import { getPivots, getSchema, getWorkspaces, postFields, rangeBody, resourceError, ResourceClient } from './resources';

const client = (answer: unknown, fail = false): ResourceClient => ({
  getResource: jest.fn(async () => (fail ? Promise.reject(answer) : answer)),
  postResource: jest.fn(async () => (fail ? Promise.reject(answer) : answer)),
});

describe('resources', () => {
  it('read well-formed answers', async () => {
    expect(await getWorkspaces(client({ default: 'w', additional: ['x'], demo: true }))).toEqual({
      default: 'w',
      additional: ['x'],
      demo: true,
    });
    expect(await getSchema(client({ table: 'T', columns: [{ name: 'a', type: 'long' }] }), 'T')).toEqual([
      { name: 'a', type: 'long' },
    ]);
    const c = client({ columns: [] });
    await postFields(c, { kql: 'T', timeRangeMode: 'query', workspaces: [], from: '1', to: '2' });
    expect(c.postResource).toHaveBeenCalledWith('fields', {
      kql: 'T',
      timeRangeMode: 'query',
      workspaces: [],
      from: '1',
      to: '2',
    });
    expect(await getPivots(client({ pivots: [{ name: 'p' }] }))).toEqual([
      { name: 'p', title: 'p', description: '', column: '' },
    ]);
  });

  it.each([
    [
      () => getWorkspaces(client({ default: 1 })),
      'GET workspaces: the answer is not {"default", "additional", "demo"}',
    ],
    [() => getSchema(client({}), 'T'), 'GET schema: the answer has no columns list'],
    [() => getSchema(client({ columns: [{ name: 'a' }] }), 'T'), 'GET schema: a column is not {"name", "type"}'],
    [() => getPivots(client({ pivots: [{}] })), 'GET pivots: a pivot has no name'],
    [() => getPivots(client({ status: 400, data: { error: 'bad KQL at line 1' } }, true)), 'bad KQL at line 1'],
    [() => getPivots(client({ status: 502, statusText: 'Bad Gateway', data: {} }, true)), 'HTTP 502 Bad Gateway'],
  ])('reject a bad answer with what went wrong (%#)', async (call, message) => {
    await expect(call()).rejects.toThrow(message);
  });

  it('resourceError prefers the backend message', () => {
    expect(resourceError({ status: 400, data: { error: 'x' } })).toBe('x');
    expect(resourceError(new Error('network'))).toBe('network');
  });
});

describe('rangeBody', () => {
  it('sends the range as epoch milliseconds, and nothing without one', () => {
    expect(rangeBody({ from: new Date(1000), to: new Date(2000) })).toEqual({ from: '1000', to: '2000' });
    expect(rangeBody(undefined)).toEqual({});
  });
});
