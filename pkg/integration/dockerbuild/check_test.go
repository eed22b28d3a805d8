package dockerbuild

import (
	"fmt"
	"go/version"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
	"go.yaml.in/yaml/v3"
)

// Where Grafana's official images look for plugins and provisioning (the defaults of
// GF_PATHS_PLUGINS and GF_PATHS_PROVISIONING).
const (
	grafanaPlugins      = "/var/lib/grafana/plugins"
	grafanaProvisioning = "/etc/grafana/provisioning"
)

// grafanaImages are Grafana's official images.
var grafanaImages = []string{"grafana/grafana", "grafana/grafana-oss", "grafana/grafana-enterprise"}

// The test command's build steps the image must repeat: the frontend into dist/, then the backend
// executable for linux/amd64 into dist/.
var (
	frontendSteps = []string{"npm ci", "npm run build"}
	backendStep   = "go run mage.go build:linux"
)

// linuxTargets are the Grafana SDK's mage targets that build a Linux executable, lower-cased as
// mage matches them, with the architecture each builds (build.Build.Linux, .LinuxARM64, .LinuxARM;
// TestLinuxTargetsAreTheSDKs keeps this list true).
var linuxTargets = map[string]string{"build:linux": "amd64", "build:linuxarm64": "arm64", "build:linuxarm": "arm"}

const magePrefix = "go run mage.go "

// check returns everything in root's Dockerfile and docker-compose.yaml that disagrees with the
// repository, each in words that say what to fix; none when they agree.
func check(root string) []string {
	var p problems
	r, err := loadRepo(root)
	if err != nil {
		return []string{err.Error()}
	}
	d, err := loadDockerfile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		return []string{err.Error()}
	}
	ignore, err := loadDockerignore(root)
	if err != nil {
		return []string{err.Error()}
	}
	checkSources(&p, r, d, ignore)
	checkBuildSteps(&p, r, d)
	checkPluginInstall(&p, r, d)
	checkProvisioning(&p, r, d)
	checkImages(&p, r, d)
	checkCompose(&p, r, d)
	return p
}

type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func loadDockerignore(root string) (*patternmatcher.PatternMatcher, error) {
	f, err := os.Open(filepath.Join(root, ".dockerignore"))
	if os.IsNotExist(err) {
		return patternmatcher.New(nil)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf(".dockerignore: %w", err)
	}
	return patternmatcher.New(patterns)
}

// checkSources: every path copied from the build context exists in the repository and reaches the
// context, every link in what a stage copies points at something the stage copies too, and every
// stage copied from exists.
func checkSources(p *problems, r *repo, d *dockerfile, ignore *patternmatcher.PatternMatcher) {
	for _, s := range d.stages {
		var copied []string // context paths the stage copies, relative to the root
		for _, c := range s.copies {
			if c.from != "" {
				if d.stageNamed(c.from) == nil {
					p.add("Dockerfile: COPY --from=%s: no stage is called %s", c.from, c.from)
				}
				continue
			}
			for _, src := range c.sources {
				rel := path.Clean(strings.TrimPrefix(src, "/"))
				if rel == "." {
					p.add("Dockerfile: COPY %s copies the whole build context: name the paths the stage needs, so this check can see them", src)
					continue
				}
				matches, _ := filepath.Glob(filepath.Join(r.root, filepath.FromSlash(rel)))
				if len(matches) == 0 {
					p.add("Dockerfile: COPY %s: no such path in the repository", src)
				}
				for _, m := range matches {
					mrel, _ := filepath.Rel(r.root, m)
					copied = append(copied, filepath.ToSlash(mrel))
					for _, left := range ignoredUnder(r.root, m, ignore) {
						p.add("Dockerfile: COPY %s: .dockerignore leaves %s out of the build context", src, left)
					}
				}
			}
		}
		for _, c := range copied {
			for link, target := range linksUnder(r.root, c) {
				if target == "" || target == ".." || strings.HasPrefix(target, "../") {
					p.add("Dockerfile: stage %s copies %s, a link that points outside the build context", s.name, link)
					continue
				}
				covered := slices.ContainsFunc(copied, func(x string) bool { return target == x || strings.HasPrefix(target, x+"/") })
				if !covered {
					p.add("Dockerfile: stage %s copies %s, a link to %s, which the stage does not copy", s.name, link, target)
				}
			}
		}
	}
}

// linksUnder maps each symbolic link at or below the context path rel to the context path it
// points at ("" when it points outside the context, which Docker cannot copy).
func linksUnder(root, rel string) map[string]string {
	out := map[string]string{}
	resolved, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(rel))) // the tests' mirrors link top-level entries
	if err != nil {
		return out
	}
	_ = filepath.WalkDir(resolved, func(q string, d os.DirEntry, err error) error {
		if err != nil || d.Type()&os.ModeSymlink == 0 {
			return err
		}
		sub, _ := filepath.Rel(resolved, q)
		link := path.Join(rel, filepath.ToSlash(sub))
		target, err := os.Readlink(q)
		if err != nil || filepath.IsAbs(target) {
			out[link] = ""
			return nil
		}
		out[link] = path.Join(path.Dir(link), filepath.ToSlash(target))
		return nil
	})
	return out
}

// ignoredUnder lists what .dockerignore leaves out of the context at or below p (a directory's
// excluded entries, not their contents), as slash paths relative to root.
func ignoredUnder(root, p string, ignore *patternmatcher.PatternMatcher) []string {
	top, _ := filepath.Rel(root, p)
	resolved, err := filepath.EvalSymlinks(p) // the tests' mirrored checkouts link to the real one
	if err != nil {
		return nil
	}
	var out []string
	_ = filepath.WalkDir(resolved, func(q string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		sub, _ := filepath.Rel(resolved, q)
		rel := path.Join(filepath.ToSlash(top), filepath.ToSlash(sub))
		if excluded, _ := ignore.MatchesOrParentMatches(rel); excluded {
			out = append(out, rel)
			if d.IsDir() {
				return filepath.SkipDir
			}
		}
		return nil
	})
	return out
}

// checkBuildSteps: the image builds the plugin with the test command's own build steps, and runs
// no build step the test command does not.
func checkBuildSteps(p *problems, r *repo, d *dockerfile) {
	for _, step := range append(slices.Clone(frontendSteps), backendStep) {
		if !r.testSteps[step] {
			p.add("%s no longer runs `%s`, which the Dockerfile repeats: build the image as the test command builds the plugin", testCommand, step)
		}
	}
	if fe := d.stageRunning("npm run build"); fe == nil {
		p.add("Dockerfile: no stage runs `npm run build`, the test command's frontend build")
	} else if !fe.runs("npm ci") {
		p.add("Dockerfile: stage %s runs `npm run build` without `npm ci`, unlike the test command", fe.name)
	}
	if be := d.stageRunning(magePrefix); be == nil || !be.runs(backendStep) {
		p.add("Dockerfile: no stage runs `%s`, the test command's backend build", backendStep)
	}
	for _, s := range d.stages {
		for _, st := range s.steps {
			if script, ok := strings.CutPrefix(st.step, "npm run "); ok && r.npmScripts[script] == "" {
				p.add("Dockerfile: stage %s runs `%s`, but package.json has no script %q", s.name, st.step, script)
			}
			target, isMage := strings.CutPrefix(st.step, magePrefix)
			if arch, isLinux := linuxTargets[strings.ToLower(target)]; isMage && isLinux {
				// The test command's target (checked above), or the same build for another
				// architecture, in the case arm of that architecture.
				if len(st.arms) > 0 && !slices.Contains(strings.Split(st.arms[len(st.arms)-1], "|"), arch) {
					p.add("Dockerfile: stage %s runs `%s`, which builds linux/%s, in the case arm %q", s.name, st.step, arch, st.arms[len(st.arms)-1])
				}
				continue
			}
			if !r.testSteps[st.step] {
				p.add("Dockerfile: stage %s runs `%s`, which %s does not: the image must be built as the tests build the plugin", s.name, st.step, testCommand)
			}
		}
	}
}

// stageRunning is the first stage with a step that starts with prefix, or nil.
func (d *dockerfile) stageRunning(prefix string) *stage {
	for i := range d.stages {
		for _, st := range d.stages[i].steps {
			if strings.HasPrefix(st.step, prefix) {
				return &d.stages[i]
			}
		}
	}
	return nil
}

// checkPluginInstall: the image's Grafana gets both builds' dist/ output in its plugin directory,
// under plugin.json's id, with plugin.json's executable.
func checkPluginInstall(p *problems, r *repo, d *dockerfile) {
	final := d.final()
	dir := grafanaPlugins + "/" + r.pluginID
	for _, build := range []*stage{d.stageRunning("npm run build"), d.stageRunning(magePrefix)} {
		if build == nil || build == final {
			continue // reported by checkBuildSteps
		}
		found := false
		for _, c := range final.copies {
			if !strings.EqualFold(c.from, build.name) {
				continue
			}
			found = true
			if path.Clean(c.dest) != dir {
				p.add("Dockerfile: the final stage copies stage %s's build to %s, not %s (Grafana's plugin directory and plugin.json's id)", build.name, c.dest, dir)
			}
			dist := path.Join(build.workdir, "dist")
			for _, src := range c.sources {
				src = path.Clean(src)
				switch {
				case src == dist:
				case path.Dir(src) != dist:
					p.add("Dockerfile: the final stage copies %s from stage %s, whose build writes %s/", src, build.name, dist)
				case build.runs(backendStep) && !strings.HasPrefix(path.Base(src), r.executable+"_linux_"):
					p.add("Dockerfile: the final stage copies %s from stage %s, but plugin.json's executable is %s (built as %s_linux_<arch>)", src, build.name, r.executable, r.executable)
				}
			}
		}
		if !found {
			p.add("Dockerfile: the final stage does not copy stage %s's build into %s", build.name, dir)
		}
	}
}

// checkProvisioning: provisioning/ is copied where Grafana reads it, the dashboards provider reads
// the copied dashboards, and the datasources are this plugin's.
func checkProvisioning(p *problems, r *repo, d *dockerfile) {
	final := d.final()
	want := grafanaProvisioning
	if v := final.env["GF_PATHS_PROVISIONING"]; v != "" {
		want = path.Clean(v)
	}
	var dest string
	for _, c := range final.copies {
		if c.from == "" && slices.ContainsFunc(c.sources, func(s string) bool { return path.Clean(s) == "provisioning" }) {
			dest = path.Clean(c.dest)
		}
	}
	switch dest {
	case "":
		p.add("Dockerfile: the final stage does not copy provisioning/ to %s", want)
		return
	case want:
	default:
		p.add("Dockerfile: the final stage copies provisioning/ to %s, but Grafana reads %s", dest, want)
	}
	files, _ := filepath.Glob(filepath.Join(r.root, "provisioning", "dashboards", "*.y*ml"))
	for _, f := range files {
		var doc struct {
			Providers []struct {
				Name    string `yaml:"name"`
				Options struct {
					Path string `yaml:"path"`
				} `yaml:"options"`
			} `yaml:"providers"`
		}
		if err := readYAML(f, &doc); err != nil {
			p.add("%v", err)
			continue
		}
		for _, pr := range doc.Providers {
			rel, ok := strings.CutPrefix(path.Clean(pr.Options.Path), dest+"/")
			dashboards, _ := filepath.Glob(filepath.Join(r.root, "provisioning", filepath.FromSlash(rel), "*.json"))
			if !ok || len(dashboards) == 0 {
				p.add("provisioning/dashboards: provider %q reads %s, which holds none of the repository's provisioned dashboards (the image has provisioning/ at %s)", pr.Name, pr.Options.Path, dest)
			}
		}
	}
	files, _ = filepath.Glob(filepath.Join(r.root, "provisioning", "datasources", "*.y*ml"))
	for _, f := range files {
		var doc struct {
			Datasources []struct {
				Name string `yaml:"name"`
				Type string `yaml:"type"`
			} `yaml:"datasources"`
		}
		if err := readYAML(f, &doc); err != nil {
			p.add("%v", err)
			continue
		}
		for _, ds := range doc.Datasources {
			if ds.Type != r.pluginID {
				p.add("provisioning/datasources: datasource %q has type %q, not plugin.json's id %q", ds.Name, ds.Type, r.pluginID)
			}
		}
	}
}

func readYAML(p string, v any) error {
	raw, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return nil
}

var semverTag = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)(-.*)?$`)

// checkImages: pinned base images that fit the repository's requirements.
func checkImages(p *problems, r *repo, d *dockerfile) {
	repo, tag := imageRef(d.final().image)
	if !slices.Contains(grafanaImages, strings.TrimPrefix(repo, "docker.io/")) {
		p.add("Dockerfile: the final stage is %s, not one of Grafana's images %v", d.final().image, grafanaImages)
	} else if m := semverTag.FindStringSubmatch(tag); m == nil {
		p.add("Dockerfile: Grafana's image %s is not pinned to a version (X.Y.Z)", d.final().image)
	} else if ok, err := satisfies(m[1]+"."+m[2]+"."+m[3], r.grafanaDependency); err != nil || !ok {
		p.add("Dockerfile: Grafana %s.%s.%s does not satisfy plugin.json's grafanaDependency %q%s", m[1], m[2], m[3], r.grafanaDependency, errSuffix(err))
	}
	if fe := d.stageRunning("npm run build"); fe != nil {
		repo, tag := imageRef(fe.image)
		if m := semverTag.FindStringSubmatch(tag); repo != "node" || m == nil || m[1] != r.nodeMajor {
			p.add("Dockerfile: stage %s builds on %s, not a pinned node:%s.x.y image (.nvmrc)", fe.name, fe.image, r.nodeMajor)
		}
	}
	if be := d.stageRunning(magePrefix); be != nil {
		repo, tag := imageRef(be.image)
		m := semverTag.FindStringSubmatch(tag)
		if repo != "golang" || m == nil {
			p.add("Dockerfile: stage %s builds on %s, not a pinned golang:X.Y.Z image", be.name, be.image)
		} else if v := m[1] + "." + m[2] + "." + m[3]; version.Compare("go"+v, "go"+r.goVersion) < 0 {
			p.add("Dockerfile: stage %s builds with Go %s, older than go.mod's go %s", be.name, v, r.goVersion)
		}
	}
}

func errSuffix(err error) string {
	if err == nil {
		return ""
	}
	return ": " + err.Error()
}

// satisfies reports whether version v (X.Y.Z) meets a grafanaDependency of the form >=X.Y.Z, the
// only form this repository uses.
func satisfies(v, dependency string) (bool, error) {
	minimum, ok := strings.CutPrefix(strings.TrimSpace(dependency), ">=")
	if !ok || !semverTag.MatchString(minimum) {
		return false, fmt.Errorf("cannot read %q: this check understands >=X.Y.Z", dependency)
	}
	a, b := semverTag.FindStringSubmatch(v), semverTag.FindStringSubmatch(minimum)
	for i := 1; i <= 3; i++ {
		x, _ := strconv.Atoi(a[i])
		y, _ := strconv.Atoi(b[i])
		if x != y {
			return x > y, nil
		}
	}
	return true, nil
}
