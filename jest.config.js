// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

module.exports = {
  ...base,
  // The editor tests render @grafana/ui menus in jsdom: seconds each on a busy 2-core machine. The limit only
  // catches a hang; speed is not what these tests check.
  testTimeout: 30000,
  transform: {
    ...base.transform,
    // d3-color and friends ship ES modules as .mjs; run them through the same swc transform.
    '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'],
  },
};
