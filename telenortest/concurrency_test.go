package telenortest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestConcurrentRequests(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	const workers, each = 16, 20

	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			path := PasswordTokenPath
			if w%2 == 1 {
				path = TokenPath
			}
			for i := range each {
				if i%5 == 0 {
					srv.Fail(path, 1, Fault{Status: 503, Shape: ShapeApigee})
				}
				req := tokenRequest(t, context.Background(), srv.URL, path, passwordForm(), DefaultClientID, DefaultClientSecret)
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				var tok struct {
					AccessToken string `json:"access_token"`
				}
				err = json.NewDecoder(resp.Body).Decode(&tok)
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					if err != nil {
						t.Error(err)
						continue
					}
					srv.Revoke(tok.AccessToken)
					srv.Expire(tok.AccessToken)
					if info, ok := srv.LookupToken(tok.AccessToken); !ok || !info.Revoked {
						t.Errorf("LookupToken = %+v, %v", info, ok)
					}
				}
				srv.SetTokenLifetime(time.Duration(i) * time.Second)
				_ = srv.Requests(path)
			}
		})
	}
	wg.Wait()
	if got := srv.TokenRequests(); got != workers*each {
		t.Errorf("TokenRequests = %d, want %d", got, workers*each)
	}
}
