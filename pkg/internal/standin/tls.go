package standin

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"time"
)

// CA is a throw-away certificate authority and one server certificate it issued, so both
// stand-ins serve TLS that a client (or a child process through SSL_CERT_FILE) can trust by
// trusting a single CA certificate. azidentity and azquery refuse plain http, hence TLS.
type CA struct {
	cert    *x509.Certificate
	certPEM []byte
	key     *ecdsa.PrivateKey
	leaf    tls.Certificate
	pool    *x509.CertPool
}

// DefaultHosts are the names the server certificate is valid for when NewTestCA gets none.
var DefaultHosts = []string{"127.0.0.1", "::1", "localhost"}

// NewTestCA makes a CA and a server certificate for hosts (IP addresses or DNS names;
// DefaultHosts when empty), both valid from an hour ago for ten years.
func NewTestCA(hosts ...string) (*CA, error) {
	if len(hosts) == 0 {
		hosts = DefaultHosts
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating the CA key: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "KQL Anomaly Hunting test CA", Organization: []string{"kqlhunt emulator"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("creating the CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parsing the CA certificate: %w", err)
	}
	ca := &CA{cert: cert, key: key, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pool: x509.NewCertPool()}
	ca.pool.AddCert(cert)
	if ca.leaf, err = ca.Issue(hosts...); err != nil {
		return nil, err
	}
	return ca, nil
}

// Issue makes a server certificate for hosts signed by the CA.
func (ca *CA) Issue(hosts ...string) (tls.Certificate, error) {
	if len(hosts) == 0 {
		return tls.Certificate{}, errors.New("a server certificate needs at least one host")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("generating the server key: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: hosts[0], Organization: []string{"kqlhunt emulator"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("creating the server certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("parsing the server certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der, ca.cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return big.NewInt(time.Now().UnixNano())
	}
	return n
}

// CertPEM is the CA certificate in PEM, what a client must trust.
func (ca *CA) CertPEM() []byte { return append([]byte(nil), ca.certPEM...) }

// WritePEM writes the CA certificate to path (mode 0644), e.g. for SSL_CERT_FILE in a child process.
func (ca *CA) WritePEM(path string) error {
	if err := os.WriteFile(path, ca.certPEM, 0o644); err != nil {
		return fmt.Errorf("writing the CA certificate: %w", err)
	}
	return nil
}

// Pool is a certificate pool holding only the CA.
func (ca *CA) Pool() *x509.CertPool { return ca.pool.Clone() }

// ServerCertificate is the certificate NewTestCA issued for its hosts.
func (ca *CA) ServerCertificate() tls.Certificate { return ca.leaf }

// ServerTLSConfig serves the CA's server certificate.
func (ca *CA) ServerTLSConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{ca.leaf}, MinVersion: tls.VersionTLS12}
}

// Client is an HTTP client that trusts only the CA.
func (ca *CA) Client() *http.Client {
	return &http.Client{Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: ca.Pool(), MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2: true,
	}}
}

// StartTLS starts an httptest server on 127.0.0.1 serving h with the CA's server certificate.
// srv.URL is https://127.0.0.1:port and srv.Client() trusts the CA.
func (ca *CA) StartTLS(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = ca.ServerTLSConfig()
	srv.StartTLS()
	if tr, ok := srv.Client().Transport.(*http.Transport); ok && tr.TLSClientConfig != nil {
		tr.TLSClientConfig.RootCAs = ca.Pool()
	}
	return srv
}

var defaultCA struct {
	once sync.Once
	ca   *CA
	err  error
}

// DefaultCA is one CA shared by every server StartTLS starts in this process, so a test that
// runs both stand-ins needs to trust (or write out) only one certificate.
func DefaultCA() (*CA, error) {
	defaultCA.once.Do(func() { defaultCA.ca, defaultCA.err = NewTestCA() })
	return defaultCA.ca, defaultCA.err
}

// StartTLS starts h over TLS with DefaultCA's certificate (httptest's own certificate if the CA
// could not be made). Write the CA out with WriteServerCA for a child process.
func StartTLS(h http.Handler) *httptest.Server {
	ca, err := DefaultCA()
	if err != nil {
		return httptest.NewTLSServer(h)
	}
	return ca.StartTLS(h)
}

// WriteServerCA writes, as PEM, the root that srv's certificate chains to: the CA for servers
// started by StartTLS or CA.StartTLS, the certificate itself for other httptest TLS servers.
func WriteServerCA(srv *httptest.Server, path string) error {
	cert := srv.Certificate()
	if cert == nil {
		return errors.New("the server does not serve TLS")
	}
	if len(srv.TLS.Certificates) > 0 && len(srv.TLS.Certificates[0].Certificate) > 1 {
		if root, err := x509.ParseCertificate(srv.TLS.Certificates[0].Certificate[len(srv.TLS.Certificates[0].Certificate)-1]); err == nil {
			cert = root
		}
	}
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("writing the CA certificate: %w", err)
	}
	return nil
}
