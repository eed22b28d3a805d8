package standin_test

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
)

// clientFromPEM trusts only the certificates in path, as a child process with SSL_CERT_FILE does.
func clientFromPEM(t *testing.T, path string) *http.Client {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		t.Fatalf("%s holds no certificate", path)
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}

func TestCAWritePEMIsEnoughToTrustBothServers(t *testing.T) {
	ca, err := standin.NewTestCA()
	if err != nil {
		t.Fatal(err)
	}
	pemPath := filepath.Join(t.TempDir(), "ca.pem")
	if err := ca.WritePEM(pemPath); err != nil {
		t.Fatal(err)
	}
	hello := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "hi") })
	a, b := ca.StartTLS(hello), ca.StartTLS(hello)
	defer a.Close()
	defer b.Close()
	c := clientFromPEM(t, pemPath)
	for _, srv := range []string{a.URL, b.URL, strings.Replace(a.URL, "127.0.0.1", "localhost", 1)} {
		res, err := c.Get(srv)
		if err != nil {
			t.Fatalf("%s: %v", srv, err)
		}
		res.Body.Close()
	}
	if res, err := a.Client().Get(a.URL); err != nil {
		t.Fatalf("srv.Client(): %v", err)
	} else {
		res.Body.Close()
	}
	if res, err := ca.Client().Get(b.URL); err != nil {
		t.Fatalf("ca.Client(): %v", err)
	} else {
		res.Body.Close()
	}
	// Another CA's certificate does not trust these servers.
	other, _ := standin.NewTestCA()
	if _, err := other.Client().Get(a.URL); err == nil {
		t.Error("a foreign CA was trusted")
	}
}

func TestStartTLSSharesDefaultCA(t *testing.T) {
	hello := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})
	a, b := standin.StartTLS(hello), standin.StartTLS(hello)
	defer a.Close()
	defer b.Close()
	dir := t.TempDir()
	if err := standin.WriteServerCA(a, filepath.Join(dir, "a.pem")); err != nil {
		t.Fatal(err)
	}
	c := clientFromPEM(t, filepath.Join(dir, "a.pem"))
	for _, u := range []string{a.URL, b.URL} {
		res, err := c.Get(u)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		res.Body.Close()
	}
	ca, err := standin.DefaultCA()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.pem")); string(got) != string(ca.CertPEM()) {
		t.Error("WriteServerCA did not write the default CA")
	}
	if _, err := ca.Issue(); err == nil {
		t.Error("Issue without hosts: want an error")
	}
}
