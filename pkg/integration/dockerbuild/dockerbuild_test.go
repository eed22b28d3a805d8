package dockerbuild

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/build"
)

// repoRoot is the checkout this package's tests run in.
var repoRoot = filepath.Join("..", "..", "..")

func TestDockerFilesAgreeWithTheRepository(t *testing.T) {
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range check(root) {
		t.Error(p)
	}
}

// TestLinuxTargetsAreTheSDKs keeps linuxTargets true to the Grafana SDK's mage targets.
func TestLinuxTargetsAreTheSDKs(t *testing.T) {
	methods := map[string]bool{}
	ty := reflect.TypeFor[build.Build]()
	for i := range ty.NumMethod() {
		methods["build:"+strings.ToLower(ty.Method(i).Name)] = true
	}
	for target := range linuxTargets {
		if !methods[target] {
			t.Errorf("%s is not a target of the SDK's build.Build", target)
		}
	}
	if linuxTargets[backendStep[len(magePrefix):]] != "amd64" {
		t.Errorf("the test command's %s is not the linux/amd64 build", backendStep)
	}
}

// TestCheckCatchesDrift changes one thing at a time in a copy of the repository and expects the
// check to name it.
func TestCheckCatchesDrift(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(t *testing.T, dir string)
		want   string
	}{
		{"a copied directory is renamed in the Dockerfile", replaceIn("Dockerfile", "COPY src/ src/", "COPY source/ src/"),
			"COPY source/: no such path in the repository"},
		{"a copied directory is moved in the repository", rename("provisioning", "grafana-provisioning"),
			"COPY provisioning/: no such path in the repository"},
		{".dockerignore leaves a copied path out", appendTo(".dockerignore", "\nsrc/img\n"),
			"COPY src/: .dockerignore leaves src/img out of the build context"},
		{"a link's target is not copied", replaceIn("Dockerfile", "COPY plugin.json tsconfig.json LICENSE", "COPY tsconfig.json LICENSE"),
			"copies src/plugin.json, a link to plugin.json, which the stage does not copy"},
		{"the whole context is copied", replaceIn("Dockerfile", "COPY pkg/ pkg/", "COPY . ."),
			"COPY . copies the whole build context"},
		{"the frontend build command drifts", replaceIn("Dockerfile", "RUN npm run build", "RUN npm run dev"),
			"no stage runs `npm run build`"},
		{"the Dockerfile installs differently", replaceIn("Dockerfile", "RUN npm ci --no-audit --no-fund", "RUN npm install"),
			"runs `npm install`, which scripts/test.sh does not"},
		{"the test command's backend build drifts", replaceIn("scripts/test.sh", "go run mage.go -v build:linux", "go run mage.go -v build:backend"),
			"scripts/test.sh no longer runs `go run mage.go build:linux`"},
		{"a mage target for another platform", replaceIn("Dockerfile", "arm64) go run mage.go -v build:linuxARM64", "arm64) go run mage.go -v build:darwinARM64"),
			"runs `go run mage.go build:darwinARM64`, which scripts/test.sh does not"},
		{"a mage target in the wrong architecture's arm", replaceIn("Dockerfile", "arm64) go run mage.go -v build:linuxARM64", "arm64) go run mage.go -v build:linuxARM"),
			"which builds linux/arm, in the case arm \"arm64\""},
		{"the plugin id changes", replaceIn("plugin.json", `"id": "kqlhunt-anomaly-datasource"`, `"id": "kqlhunt-hunting-datasource"`),
			"not /var/lib/grafana/plugins/kqlhunt-hunting-datasource"},
		{"the executable is renamed", replaceIn("plugin.json", `"executable": "gpx_kqlhunt"`, `"executable": "gpx_hunt"`),
			"plugin.json's executable is gpx_hunt"},
		{"the plugin is copied elsewhere", replaceIn("Dockerfile", "/src/dist/ /var/lib/grafana/plugins/kqlhunt-anomaly-datasource/", "/src/dist/ /usr/share/grafana/plugins/"),
			"copies stage frontend's build to /usr/share/grafana/plugins/"},
		{"the backend build is not copied", replaceIn("Dockerfile", "COPY --from=backend", "# COPY --from=backend"),
			"does not copy stage backend's build"},
		{"the dashboards provider reads another path", replaceIn("provisioning/dashboards/dashboards.yml", "path: /etc/grafana/provisioning/dashboards", "path: /var/lib/grafana/dashboards"),
			"reads /var/lib/grafana/dashboards, which holds none"},
		{"provisioning is copied elsewhere", replaceIn("Dockerfile", "COPY provisioning/ /etc/grafana/provisioning/", "COPY provisioning/ /provisioning/"),
			"copies provisioning/ to /provisioning, but Grafana reads /etc/grafana/provisioning"},
		{"Grafana too old for the plugin", replaceIn("Dockerfile", "ARG GRAFANA_VERSION=12.4.10", "ARG GRAFANA_VERSION=11.6.0"),
			`Grafana 11.6.0 does not satisfy plugin.json's grafanaDependency ">=12.3.0"`},
		{"Grafana not pinned", replaceIn("Dockerfile", "ARG GRAFANA_VERSION=12.4.10", "ARG GRAFANA_VERSION=latest"),
			"is not pinned to a version"},
		{"Node differs from .nvmrc", writeFile(".nvmrc", "22\n"),
			"not a pinned node:22.x.y image"},
		{"Go older than go.mod", replaceIn("go.mod", "\ngo 1.26.8\n", "\ngo 1.27.1\n"),
			"older than go.mod's go 1.27.1"},
		{"compose builds another Dockerfile", replaceIn("docker-compose.yaml", "dockerfile: Dockerfile", "dockerfile: build/Dockerfile"),
			"no service builds the repository's Dockerfile"},
		{"compose drops a variable provisioning expands", replaceIn("docker-compose.yaml", "LOG_ANALYTICS_WORKSPACE_ID: ${LOG_ANALYTICS_WORKSPACE_ID:-}", ""),
			"does not pass LOG_ANALYTICS_WORKSPACE_ID, which provisioning expands"},
		{"compose forwards the host environment to another plugin", replaceIn("docker-compose.yaml", "GF_PLUGINS_FORWARD_HOST_ENV_VARS: kqlhunt-anomaly-datasource", "GF_PLUGINS_FORWARD_HOST_ENV_VARS: other-datasource"),
			`GF_PLUGINS_FORWARD_HOST_ENV_VARS is "other-datasource"`},
		{"compose mounts a missing path", replaceIn("docker-compose.yaml", "    ports:\n", "    volumes:\n      - ./grafana-data:/var/lib/grafana\n    ports:\n"),
			"grafana-data, which does not exist"},
		{"compose is not valid Compose", replaceIn("docker-compose.yaml", "    ports:\n", "    portz:\n"),
			"portz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := mirror(t)
			tt.mutate(t, dir)
			got := check(dir)
			if !slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, tt.want) }) {
				t.Errorf("want a problem containing %q, got %q", tt.want, got)
			}
		})
	}
}

// mirror makes a copy of the repository for one mutation: top-level entries are symbolic links to
// the real ones, and a mutation replaces the file it edits with a real copy first.
func mirror(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, e := range entries {
		if slices.Contains([]string{".git", "node_modules", "dist"}, e.Name()) {
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// materialise turns the mirrored path rel (and the directories above it) from links into copies,
// so that editing it leaves the repository alone.
func materialise(t *testing.T, dir, rel string) string {
	t.Helper()
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for i := 1; i < len(parts); i++ {
		p := filepath.Join(dir, filepath.FromSlash(strings.Join(parts[:i], "/")))
		if fi, err := os.Lstat(p); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(target)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if err := os.Symlink(filepath.Join(target, e.Name()), filepath.Join(p, e.Name())); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func replaceIn(rel, old, new string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		p := materialise(t, dir, rel)
		raw, _ := os.ReadFile(p)
		if !strings.Contains(string(raw), old) {
			t.Fatalf("%s does not contain %q: update the mutation", rel, old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(raw), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func appendTo(rel, text string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		p := materialise(t, dir, rel)
		raw, _ := os.ReadFile(p)
		if err := os.WriteFile(p, append(raw, text...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func writeFile(rel, text string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		p := materialise(t, dir, rel)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func rename(from, to string) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		if err := os.Rename(filepath.Join(dir, from), filepath.Join(dir, to)); err != nil {
			t.Fatal(err)
		}
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestToolStep(t *testing.T) {
	tests := []struct {
		words []string
		want  string
	}{
		{[]string{"npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"}, "npm ci"},
		{[]string{"npm", "run", "build"}, "npm run build"},
		{[]string{"npm", "run", "test:ci", "--", "--maxWorkers", "2"}, "npm run test:ci"},
		{[]string{"go", "run", "mage.go", "-v", "build:linux"}, "go run mage.go build:linux"},
		{[]string{"go", "mod", "download"}, "go mod download"},
		{[]string{"echo", "npm", "ci"}, ""},
		{[]string{"apt-get", "install", "-y", "curl"}, ""},
	}
	for _, tt := range tests {
		if got := toolStep(tt.words); got != tt.want {
			t.Errorf("toolStep(%q) = %q, want %q", tt.words, got, tt.want)
		}
	}
}

func TestShellCommandsSeeCaseArmsAndBackgroundJobs(t *testing.T) {
	cmds, err := shellCommands(`npm ci --no-audit &
pid=$!
case "$TARGETARCH" in
  amd64|x86_64) go run mage.go -v build:linux ;;
  *) echo "no build" >&2; exit 1 ;;
esac
for p in a b; do GOOS=${p%/*} go build -o /dev/null ./pkg; done`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cmds {
		got = append(got, strings.Join(c.words, " ")+" @"+strings.Join(c.arms, ","))
	}
	want := []string{
		"npm ci --no-audit @",
		"go run mage.go -v build:linux @amd64|x86_64",
		"echo no build @*",
		"exit 1 @*",
		"go build -o /dev/null ./pkg @",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestProvisioningVariables(t *testing.T) {
	dir := t.TempDir()
	doc := "a: $AZURE_TENANT_ID\nb: ${LOG_ANALYTICS_WORKSPACE_ID}\nc: $__env{SECRET_FROM_ENV}\nd: $__file{/run/secret}\ne: price $$5\nf: $AZURE_TENANT_ID\n"
	if err := os.WriteFile(filepath.Join(dir, "ds.yml"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := provisioningVariables(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"AZURE_TENANT_ID", "LOG_ANALYTICS_WORKSPACE_ID", "SECRET_FROM_ENV"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSatisfies(t *testing.T) {
	tests := []struct {
		v, dep string
		want   bool
		err    bool
	}{
		{"12.4.10", ">=12.3.0", true, false},
		{"12.3.0", ">=12.3.0", true, false},
		{"12.2.9", ">=12.3.0", false, false},
		{"13.0.0", ">=12.3.0", true, false},
		{"12.4.10", "^12.3.0", false, true},
	}
	for _, tt := range tests {
		got, err := satisfies(tt.v, tt.dep)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("satisfies(%s, %s) = %v, %v", tt.v, tt.dep, got, err)
		}
	}
}
