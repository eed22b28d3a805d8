package loganalytics

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// signInCredential wraps the datasource's credential so that a failure to
// get a token is recognisable after azcore's pipeline has wrapped it: it
// becomes a *SignInError carrying Entra's short reason only.
type signInCredential struct {
	cred azcore.TokenCredential
}

func (s signInCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tk, err := s.cred.GetToken(ctx, opts)
	if err != nil && ctx.Err() == nil {
		return tk, newSignInError(err)
	}
	return tk, err
}

var aadsts = regexp.MustCompile(`AADSTS\d+`)

// newSignInError keeps Entra's reason: the first line of error_description
// ("AADSTS7000215: Invalid client secret provided. ...") when the token
// endpoint answered, else the credential's own message, on one line, without
// its troubleshooting link. Neither contains the request body or the secret.
func newSignInError(err error) *SignInError {
	se := &SignInError{err: err}
	var afe *azidentity.AuthenticationFailedError
	if errors.As(err, &afe) && afe.RawResponse != nil {
		body, _ := runtime.Payload(afe.RawResponse)
		var tokErr struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if json.Unmarshal(body, &tokErr) == nil && (tokErr.Description != "" || tokErr.Error != "") {
			se.Msg = firstLine(tokErr.Description)
			if se.Msg == "" {
				se.Msg = tokErr.Error
			}
		} else {
			se.Msg = "the token endpoint answered " + afe.RawResponse.Status
		}
	} else {
		// No answer from Entra (an unreachable authority, a missing identity): the reason is
		// spread over lines ("...server response error:\n Get \"https://host/...\": dial tcp
		// host: connect: connection refused"), so keep them all, on one line.
		msg := err.Error()
		if i := strings.Index(msg, "To troubleshoot"); i >= 0 {
			msg = msg[:i]
		}
		se.Msg = strings.Join(strings.Fields(msg), " ")
	}
	se.Code = aadsts.FindString(se.Msg)
	return se
}

// firstLine cuts s at its first line break ("\r\nTrace ID: ..." follows
// Entra's reason).
func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
