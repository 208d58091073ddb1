module github.com/telenor-go/telenor/examples/linkauth

go 1.25.0

replace (
	github.com/telenor-go/telenor => ../..
	github.com/telenor-go/telenor/redisstore => ../../redisstore
)

require (
	github.com/alexedwards/scs/goredisstore v0.0.0-20250212122300-421ef1d8611c
	github.com/alexedwards/scs/v2 v2.9.0
	github.com/redis/go-redis/v9 v9.22.0
	github.com/stretchr/testify v1.12.1
	github.com/telenor-go/telenor v0.0.0-00010101000000-000000000000
	github.com/telenor-go/telenor/redisstore v0.0.0-00010101000000-000000000000
	go.uber.org/goleak v1.3.0
	golang.org/x/oauth2 v0.36.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	go.uber.org/atomic v1.11.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.30.0 // indirect
)
