package dockerbuild

import (
	"context"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// composeFile is the compose file `docker compose up` reads in the repository's root.
const composeFile = "docker-compose.yaml"

// The Grafana settings, in their environment form, that must name this plugin: it is unsigned;
// Grafana hands [azure] settings only to listed plugins; since Grafana 12.4 a plugin sees the
// host's environment (KQLHUNT_ALLOWED_ENDPOINT_HOSTS) only when forward_host_env_vars lists it.
const (
	envAllowUnsigned   = "GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS"
	envForwardAzure    = "GF_AZURE_FORWARD_SETTINGS_TO_PLUGINS"
	envForwardHostEnv  = "GF_PLUGINS_FORWARD_HOST_ENV_VARS"
	envAllowedHosts    = "KQLHUNT_ALLOWED_ENDPOINT_HOSTS"
	grafanaHTTPPort    = 3000
	composeProjectName = "kqlhunt"
)

// checkCompose: the compose file is valid Compose, builds the repository's Dockerfile, publishes
// Grafana's port, passes every variable the provisioning expands, and names this plugin in the
// admin settings.
func checkCompose(p *problems, r *repo, d *dockerfile) {
	project, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  r.root,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(r.root, composeFile)}},
		Environment: types.Mapping{}, // as on a machine with none of the optional variables set
	}, func(o *loader.Options) { o.SetProjectName(composeProjectName, true) })
	if err != nil {
		p.add("%s: %v", composeFile, err)
		return
	}
	var svc *types.ServiceConfig
	for _, s := range project.Services {
		if s.Build != nil && filepath.Clean(s.Build.Context) == filepath.Clean(r.root) && s.Build.Dockerfile == "Dockerfile" {
			svc = &s
			break
		}
	}
	if svc == nil {
		p.add("%s: no service builds the repository's Dockerfile (build: {context: ., dockerfile: Dockerfile})", composeFile)
		return
	}
	for _, v := range svc.Volumes {
		if v.Type == types.VolumeTypeBind && !exists(v.Source) {
			p.add("%s: service %s mounts %s, which does not exist", composeFile, svc.Name, v.Source)
		}
	}
	if !slices.ContainsFunc(svc.Ports, func(pc types.ServicePortConfig) bool { return pc.Target == grafanaHTTPPort }) {
		p.add("%s: service %s does not publish Grafana's port %d", composeFile, svc.Name, grafanaHTTPPort)
	}
	names, err := provisioningVariablesOf(r.root)
	if err != nil {
		p.add("%v", err)
	}
	for _, name := range names {
		if _, ok := svc.Environment[name]; !ok {
			p.add("%s: service %s does not pass %s, which provisioning expands", composeFile, svc.Name, name)
		}
	}
	if _, ok := svc.Environment[envAllowedHosts]; !ok {
		p.add("%s: service %s does not pass %s, the admin's approval of private endpoints", composeFile, svc.Name, envAllowedHosts)
	}
	env := func(k string) string {
		if v := svc.Environment[k]; v != nil {
			return *v
		}
		return d.final().env[k]
	}
	for _, k := range []string{envAllowUnsigned, envForwardAzure, envForwardHostEnv} {
		if !slices.Contains(splitList(env(k)), r.pluginID) {
			p.add("%s or the Dockerfile: %s is %q, which does not list plugin.json's id %s", composeFile, k, env(k), r.pluginID)
		}
	}
}

func provisioningVariablesOf(root string) ([]string, error) {
	var all []string
	for _, dir := range expandedProvisioning {
		names, err := provisioningVariables(filepath.Join(root, filepath.FromSlash(dir)))
		if err != nil {
			return nil, err
		}
		all = append(all, names...)
	}
	return all, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
