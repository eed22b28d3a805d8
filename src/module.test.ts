import { DataSourceInstanceSettings } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import { DataSource } from './datasource';
import { plugin } from './module';
import { KqlHuntOptions } from './types';
import { KqlHuntVariableSupport } from './variables';

describe('module', () => {
  it('wires the editors and the variable support Grafana looks for', () => {
    expect(plugin.components.QueryEditor).toBe(QueryEditor);
    expect(plugin.components.ConfigEditor).toBe(ConfigEditor);
    const ds = new DataSource({ jsonData: {}, meta: {} } as unknown as DataSourceInstanceSettings<KqlHuntOptions>);
    expect(ds.variables).toBeInstanceOf(KqlHuntVariableSupport);
    expect((ds.variables as KqlHuntVariableSupport).editor).toBe(VariableQueryEditor);
  });
});
