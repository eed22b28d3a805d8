import { DataSourcePlugin } from '@grafana/data';
import { DataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { KqlHuntOptions, KqlHuntQuery } from './types';

export const plugin = new DataSourcePlugin<DataSource, KqlHuntQuery, KqlHuntOptions>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
