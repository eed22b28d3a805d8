import { readFileSync } from 'fs';
import { join } from 'path';

import { LIMITS, QUERY_DEFAULTS } from './defaults';

// Written by Go (pkg/querymodel): the backend's defaults and bounds. Comparing whole objects makes a key
// added, removed or changed on either side alone fail here.
const goFile = JSON.parse(
  readFileSync(join(__dirname, '..', 'pkg', 'querymodel', 'testdata', 'defaults.json'), 'utf8')
) as { defaults: unknown; limits: unknown };

describe('defaults shared with the backend', () => {
  it('are the Go defaults', () => {
    expect(QUERY_DEFAULTS).toEqual(goFile.defaults);
  });
  it('are the Go validation bounds', () => {
    expect(LIMITS).toEqual(goFile.limits);
  });
});
