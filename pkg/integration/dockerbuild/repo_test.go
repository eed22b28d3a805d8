package dockerbuild

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/modfile"
)

// repo is what the Docker files must agree with, read from a checkout.
type repo struct {
	root string
	// pluginID and executable are plugin.json's id and executable.
	pluginID, executable string
	// grafanaDependency is plugin.json's dependencies.grafanaDependency, e.g. ">=12.3.0".
	grafanaDependency string
	// goVersion is go.mod's go directive; nodeMajor is .nvmrc's major version.
	goVersion, nodeMajor string
	// npmScripts are package.json's scripts.
	npmScripts map[string]string
	// testSteps are the tool commands the test command runs, in canonical form (see toolStep).
	testSteps map[string]bool
}

// testCommand is the project's one test command, whose build steps the Dockerfile repeats.
const testCommand = "scripts/test.sh"

func loadRepo(root string) (*repo, error) {
	r := &repo{root: root}
	var pj struct {
		ID           string `json:"id"`
		Executable   string `json:"executable"`
		Dependencies struct {
			GrafanaDependency string `json:"grafanaDependency"`
		} `json:"dependencies"`
	}
	if err := readJSON(filepath.Join(root, "plugin.json"), &pj); err != nil {
		return nil, err
	}
	r.pluginID, r.executable, r.grafanaDependency = pj.ID, pj.Executable, pj.Dependencies.GrafanaDependency
	var pkg struct {
		Scripts map[string]string `json:"scripts"`
	}
	if err := readJSON(filepath.Join(root, "package.json"), &pkg); err != nil {
		return nil, err
	}
	r.npmScripts = pkg.Scripts
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, err
	}
	mf, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil {
		return nil, err
	}
	if mf.Go == nil {
		return nil, fmt.Errorf("go.mod has no go directive")
	}
	r.goVersion = mf.Go.Version
	nvmrc, err := os.ReadFile(filepath.Join(root, ".nvmrc"))
	if err != nil {
		return nil, err
	}
	r.nodeMajor = strings.SplitN(strings.TrimPrefix(strings.TrimSpace(string(nvmrc)), "v"), ".", 2)[0]
	script, err := os.ReadFile(filepath.Join(root, testCommand))
	if err != nil {
		return nil, err
	}
	cmds, err := shellCommands(string(script))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", testCommand, err)
	}
	r.testSteps = map[string]bool{}
	for _, c := range cmds {
		if s := toolStep(c.words); s != "" {
			r.testSteps[s] = true
		}
	}
	return r, nil
}

func readJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// envReference finds what Grafana expands from its environment in provisioning files: $NAME,
// ${NAME} and $__env{NAME} (submatch 1, 2 or 3). $$ is a literal dollar and other $__name{...}
// expanders ($__file{path}) read no variable; both match with no name.
var envReference = regexp.MustCompile(`\$\$|\$__env\{([^}]+)\}|\$__\w+\{[^}]*\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// expandedProvisioning are the provisioning directories whose files Grafana expands variables in
// (alert rules are not among them: their $__timeFilter and {{ $values }} belong to the queries and
// templates).
var expandedProvisioning = []string{"provisioning/datasources", "provisioning/dashboards"}

// provisioningVariables lists the environment variables the provisioning files under dir expand.
// Grafana expands the values of a parsed file, not its text, so comments and keys do not count.
func provisioningVariables(dir string) ([]string, error) {
	seen := map[string]bool{}
	var names []string
	var scan func(n *yaml.Node)
	scan = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			for _, m := range envReference.FindAllStringSubmatch(n.Value, -1) {
				name := m[1] + m[2] + m[3]
				if name != "" && !strings.HasPrefix(name, "__") && !seen[name] {
					seen[name] = true
					names = append(names, name)
				}
			}
			return
		}
		for i, c := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 {
				continue // a key
			}
			scan(c)
		}
	}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(p) != ".yml" && filepath.Ext(p) != ".yaml") {
			return err
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		scan(&doc)
		return nil
	})
	return names, err
}
