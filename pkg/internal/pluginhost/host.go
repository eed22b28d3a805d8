// Package pluginhost starts a compiled backend plugin the way Grafana does and calls it over gRPC. No
// Grafana server runs on our machines, so this host is how tests see what Grafana would see: the
// go-plugin handshake, the process environment, and requests shaped like those of /api/ds/query,
// /api/datasources/uid/:uid/health and /api/datasources/uid/:uid/resources.
package pluginhost

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Config says how to start the plugin.
type Config struct {
	// Executable is the path of dist/gpx_<name>_<os>_<arch>.
	Executable string
	// Env is added to the child's environment (Grafana passes its own environment plus GF_* variables);
	// e.g. SSL_CERT_FILE pointing at a test CA.
	Env []string
	// Log receives the plugin's stderr (its logs); nil discards them.
	Log io.Writer
	// MaxRecvMsgSize raises gRPC's 4 MiB limit on one answer, for large query results; 0 keeps it.
	MaxRecvMsgSize int
}

// Host is one running plugin process.
type Host struct {
	client      *goplugin.Client
	data        grpcplugin.DataClient
	diagnostics grpcplugin.DiagnosticsClient
	resource    grpcplugin.ResourceClient
}

// Start execs the plugin with Grafana's handshake and plugin set, and dispenses its gRPC clients.
func Start(cfg Config) (*Host, error) {
	if _, err := os.Stat(cfg.Executable); err != nil {
		return nil, fmt.Errorf("plugin executable: %w (build it with `go run mage.go -v build:linux`)", err)
	}
	cmd := exec.Command(cfg.Executable)
	// go-plugin would append the host's environment after ours, undoing overrides such as
	// SSL_CERT_FILE; so the environment is merged here and go-plugin told to skip its own copy.
	cmd.Env = mergeEnv(os.Environ(), cfg.Env)
	logOut := cfg.Log
	if logOut == nil {
		logOut = io.Discard
	}
	var dialOpts []grpc.DialOption
	if cfg.MaxRecvMsgSize > 0 {
		dialOpts = append(dialOpts, grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(cfg.MaxRecvMsgSize)))
	}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		GRPCDialOptions: dialOpts,
		Cmd:             cmd,
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{
			grpcplugin.ProtocolVersion: {
				"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
				"resource":    &grpcplugin.ResourceGRPCPlugin{},
				"data":        &grpcplugin.DataGRPCPlugin{},
				"stream":      &grpcplugin.StreamGRPCPlugin{},
			},
		},
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		SkipHostEnv:      true,
		Logger:           hclog.New(&hclog.LoggerOptions{Output: &syncWriter{w: logOut}, Level: hclog.Debug, Name: "plugin"}),
		Stderr:           &syncWriter{w: logOut},
		StartTimeout:     30 * time.Second,
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("start plugin: %w", err)
	}
	h := &Host{client: client}
	for name, dst := range map[string]any{"data": &h.data, "diagnostics": &h.diagnostics, "resource": &h.resource} {
		raw, err := rpc.Dispense(name)
		if err != nil {
			client.Kill()
			return nil, fmt.Errorf("dispense %s: %w", name, err)
		}
		if err := assign(dst, raw); err != nil {
			client.Kill()
			return nil, err
		}
	}
	return h, nil
}

func assign(dst, raw any) error {
	switch d := dst.(type) {
	case *grpcplugin.DataClient:
		c, ok := raw.(grpcplugin.DataClient)
		if !ok {
			return errors.New("data plugin has the wrong type")
		}
		*d = c
	case *grpcplugin.DiagnosticsClient:
		c, ok := raw.(grpcplugin.DiagnosticsClient)
		if !ok {
			return errors.New("diagnostics plugin has the wrong type")
		}
		*d = c
	case *grpcplugin.ResourceClient:
		c, ok := raw.(grpcplugin.ResourceClient)
		if !ok {
			return errors.New("resource plugin has the wrong type")
		}
		*d = c
	}
	return nil
}

// Stop kills the plugin process, as Grafana does on shutdown.
func (h *Host) Stop() { h.client.Kill() }

// Pid is the plugin process's id (0 before it started), e.g. to read its peak memory from
// /proc/<pid>/status.
func (h *Host) Pid() int {
	if rc := h.client.ReattachConfig(); rc != nil {
		return rc.Pid
	}
	return 0
}

// Exited reports whether the plugin process has exited (a crash shows here).
func (h *Host) Exited() bool { return h.client.Exited() }

// QueryData sends a query request and converts the answer back to SDK types.
func (h *Host) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	res, err := h.data.QueryData(ctx, backend.ToProto().QueryDataRequest(req))
	if err != nil {
		return nil, err
	}
	return backend.FromProto().QueryDataResponse(res)
}

// CheckHealth calls the plugin's health check, as the datasource page's "Save & test" does.
func (h *Host) CheckHealth(ctx context.Context, pc backend.PluginContext) (*backend.CheckHealthResult, error) {
	res, err := h.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: backend.ToProto().PluginContext(pc)})
	if err != nil {
		return nil, err
	}
	return backend.FromProto().CheckHealthResponse(res), nil
}

// CallResource sends one resource request and collects the (possibly streamed) answer.
func (h *Host) CallResource(ctx context.Context, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error) {
	stream, err := h.resource.CallResource(ctx, backend.ToProto().CallResourceRequest(req))
	if err != nil {
		return nil, err
	}
	var out *backend.CallResourceResponse
	for {
		part, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		r := backend.FromProto().CallResourceResponse(part)
		if out == nil {
			out = r
			continue
		}
		out.Body = append(out.Body, r.Body...)
	}
	if out == nil {
		return nil, errors.New("empty resource response")
	}
	return out, nil
}

// mergeEnv returns base with every KEY=value of overrides replacing base's KEY.
func mergeEnv(base, overrides []string) []string {
	keys := map[string]bool{}
	for _, kv := range overrides {
		keys[strings.SplitN(kv, "=", 2)[0]] = true
	}
	out := make([]string, 0, len(base)+len(overrides))
	for _, kv := range base {
		if !keys[strings.SplitN(kv, "=", 2)[0]] {
			out = append(out, kv)
		}
	}
	return append(out, overrides...)
}

// syncWriter serialises writes from go-plugin's log goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// LogBuffer collects a plugin's log output (Config.Log) so tests can search it, e.g. for a secret.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p; safe for concurrent use.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
