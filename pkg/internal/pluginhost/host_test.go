package pluginhost

import (
	"reflect"
	"testing"
)

func TestMergeEnvOverrides(t *testing.T) {
	got := mergeEnv([]string{"A=1", "SSL_CERT_FILE=/etc/ssl/x", "B=2"}, []string{"SSL_CERT_FILE=/tmp/ca.pem", "C=3"})
	want := []string{"A=1", "B=2", "SSL_CERT_FILE=/tmp/ca.pem", "C=3"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestStartMissingExecutable(t *testing.T) {
	if _, err := Start(Config{Executable: "/nonexistent/gpx_x"}); err == nil {
		t.Fatal("want an error for a missing executable")
	}
}
