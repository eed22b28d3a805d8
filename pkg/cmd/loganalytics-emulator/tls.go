package main

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/kqlhunt/anomaly-datasource/pkg/internal/standin"
)

// serverTLS loads -cert/-key, or makes a CA and a server certificate for the listening address,
// localhost and -cert-host, and writes the CA where clients can read it: -ca-out, or ca.pem in a
// new temporary directory. It returns the CA file's path ("" with -cert) and a cleanup that
// removes the temporary directory (a -ca-out file is the caller's and stays).
func serverTLS(o options, addr net.Addr) (cfg *tls.Config, caPath string, cleanup func(), err error) {
	cleanup = func() {}
	if o.cert != "" {
		c, err := tls.LoadX509KeyPair(o.cert, o.key)
		if err != nil {
			return nil, "", cleanup, err
		}
		return &tls.Config{Certificates: []tls.Certificate{c}, MinVersion: tls.VersionTLS12}, "", cleanup, nil
	}
	hosts := append(append([]string(nil), standin.DefaultHosts...), o.certHosts...)
	if tcp, ok := addr.(*net.TCPAddr); ok && !tcp.IP.IsUnspecified() {
		hosts = append(hosts, tcp.IP.String())
	}
	ca, err := standin.NewTestCA(hosts...)
	if err != nil {
		return nil, "", cleanup, err
	}
	caPath = o.caOut
	if caPath == "" {
		dir, err := os.MkdirTemp("", "loganalytics-emulator-")
		if err != nil {
			return nil, "", cleanup, err
		}
		cleanup = func() { _ = os.RemoveAll(dir) }
		caPath = filepath.Join(dir, "ca.pem")
	}
	if err := writeFileAtomic(caPath, ca.CertPEM()); err != nil {
		cleanup()
		return nil, "", func() {}, fmt.Errorf("writing the CA certificate: %w", err)
	}
	return ca.ServerTLSConfig(), caPath, cleanup, nil
}

// writeFileAtomic replaces path with data in one rename, so a client reading it never sees half
// a certificate.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // gone after the rename; removes the leftover on failure
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
