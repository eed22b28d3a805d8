// Package dockerbuild keeps the Dockerfile and docker-compose.yaml honest on machines that have no
// Docker engine (these development machines and CI): its tests read both files with the parsers
// Docker itself uses (BuildKit's Dockerfile parser, compose-go with the Compose schema) and fail
// when they drift from the repository:
//
//   - every path the Dockerfile copies exists and is not excluded by .dockerignore;
//   - the commands its build stages run are those of the test command (scripts/test.sh):
//     npm ci, npm run build, go run mage.go -v build:linux (or the Grafana SDK's target for the
//     image's architecture), and nothing the test command does not run;
//   - the plugin lands in Grafana's plugin directory under plugin.json's id, with plugin.json's
//     executable, and is the one unsigned plugin Grafana may load;
//   - the provisioning is copied where Grafana reads it and the dashboards' path points into it;
//   - the base images fit the repository (Grafana satisfies plugin.json's grafanaDependency, Node
//     is .nvmrc's, Go is at least go.mod's);
//   - the compose file builds this Dockerfile and passes every variable the provisioning expands,
//     and the admin settings name this plugin.
//
// The package has no code of its own: it is its tests.
package dockerbuild
