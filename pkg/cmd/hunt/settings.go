package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kqlhunt/anomaly-datasource/pkg/plugin"
)

// datasource is one configured datasource, as Grafana hands it to the plugin.
type datasource struct {
	Name, UID string
	JSONData  map[string]any
	Secure    map[string]string
}

// demoDatasource is the provisioned demo datasource: the built-in demo workspace, no Azure.
var demoDatasource = datasource{
	Name: "KQL Anomaly Hunting (demo)", UID: "kqlhunt-demo",
	JSONData: map[string]any{"demoWorkspace": true},
}

// provisionedDatasource is a datasources entry of a Grafana provisioning file.
type provisionedDatasource struct {
	Name           string            `yaml:"name"`
	UID            string            `yaml:"uid"`
	Type           string            `yaml:"type"`
	JSONData       map[string]any    `yaml:"jsonData"`
	SecureJSONData map[string]string `yaml:"secureJsonData"`
}

// loadDatasource reads a provisioning file (apiVersion and a datasources list, as Grafana reads
// provisioning/datasources/*.yml, or one datasources entry on its own) and returns the entry named
// pick (by name or uid), or its only entry of this plugin's type. Values are expanded from the
// environment as Grafana expands them; warn gets what a user should know (variables that are not
// set, a secret written in the file).
func loadDatasource(path, pick string, getenv func(string) string, warn func(string)) (datasource, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return datasource{}, err
	}
	var file struct {
		Datasources []provisionedDatasource `yaml:"datasources"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		return datasource{}, fmt.Errorf("%s: %w", path, err)
	}
	entries := file.Datasources
	if len(entries) == 0 {
		var one provisionedDatasource
		if err := yaml.Unmarshal(raw, &one); err == nil && (one.Type != "" || one.JSONData != nil) {
			entries = append(entries, one)
		}
	}
	var ours []provisionedDatasource
	for _, e := range entries {
		if e.Type == "" || e.Type == plugin.ID {
			ours = append(ours, e)
		}
	}
	chosen, err := choose(path, ours, pick)
	if err != nil {
		return datasource{}, err
	}
	return expandDatasource(path, chosen, getenv, warn)
}

func choose(path string, entries []provisionedDatasource, pick string) (provisionedDatasource, error) {
	var names []string
	for _, e := range entries {
		if pick != "" && (e.Name == pick || e.UID == pick) {
			return e, nil
		}
		names = append(names, fmt.Sprintf("%s (%q)", e.UID, e.Name))
	}
	switch {
	case len(entries) == 0:
		return provisionedDatasource{}, fmt.Errorf("%s has no datasource of type %s", path, plugin.ID)
	case pick != "":
		return provisionedDatasource{}, fmt.Errorf("%s has no %s datasource named %q: it has %s", path, plugin.ID, pick, strings.Join(names, ", "))
	case len(entries) > 1:
		return provisionedDatasource{}, fmt.Errorf("%s has %d %s datasources: pick one with -datasource and its uid or name: %s", path, len(entries), plugin.ID, strings.Join(names, ", "))
	}
	return entries[0], nil
}

func expandDatasource(path string, e provisionedDatasource, getenv func(string) string, warn func(string)) (datasource, error) {
	x := &expander{getenv: getenv}
	var err error
	ds := datasource{Secure: map[string]string{}}
	if ds.Name, err = x.expand(e.Name); err != nil {
		return ds, fmt.Errorf("%s: name: %w", path, err)
	}
	if ds.UID, err = x.expand(e.UID); err != nil {
		return ds, fmt.Errorf("%s: uid: %w", path, err)
	}
	if ds.Name == "" {
		ds.Name = ds.UID
	}
	expanded, err := expandTree(x, e.JSONData)
	if err != nil {
		return ds, fmt.Errorf("%s: jsonData: %w", path, err)
	}
	ds.JSONData, _ = expanded.(map[string]any)
	if ds.JSONData == nil {
		ds.JSONData = map[string]any{}
	}
	keys := make([]string, 0, len(e.SecureJSONData))
	for k := range e.SecureJSONData {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, err := x.expand(e.SecureJSONData[k])
		if err != nil {
			return ds, fmt.Errorf("%s: secureJsonData.%s: %w", path, k, err)
		}
		if !x.used && v != "" {
			warn(fmt.Sprintf("%s writes secureJsonData.%s in the file: keep secrets in the environment (%s: $VARIABLE)", path, k, k))
		}
		ds.Secure[k] = v
	}
	for _, name := range x.unset {
		warn(fmt.Sprintf("%s uses $%s, which is not set: it expands to nothing", path, name))
	}
	return ds, nil
}

// expandTree expands every string in a decoded YAML value, keys aside.
func expandTree(x *expander, v any) (any, error) {
	switch v := v.(type) {
	case string:
		return x.expand(v)
	case map[string]any:
		out := make(map[string]any, len(v))
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys) // so that warnings come in a stable order
		for _, k := range keys {
			e, err := expandTree(x, v[k])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = e
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			e, err := expandTree(x, item)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	}
	return v, nil
}
