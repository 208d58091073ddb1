module github.com/telenor-go/telenor/e2e

go 1.25.0

replace (
	github.com/telenor-go/telenor => ../
	github.com/telenor-go/telenor/examples/linkauth => ../examples/linkauth
	github.com/telenor-go/telenor/redisstore => ../redisstore
)

require (
	github.com/alexedwards/scs/goredisstore v0.0.0-20250212122300-421ef1d8611c
	github.com/chromedp/cdproto v0.159.0
	github.com/chromedp/chromedp v0.23.0
	github.com/redis/go-redis/v9 v9.22.0
	github.com/telenor-go/telenor v0.0.0-00010101000000-000000000000
	github.com/telenor-go/telenor/examples/linkauth v0.0.0-00010101000000-000000000000
	github.com/telenor-go/telenor/redisstore v0.0.0-00010101000000-000000000000
	go.uber.org/goleak v1.3.0
)

require (
	github.com/alexedwards/scs/v2 v2.9.0 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	go.uber.org/atomic v1.11.0 // indirect
	golang.org/x/oauth2 v0.36.0 // indirect
	golang.org/x/sys v0.30.0 // indirect
)
