package telenor

// Version is the SDK's version. It is sent in the User-Agent header
// ("telenor-go/" + Version) so Telenor can tell SDK traffic apart.
const Version = "0.2.0"

// userAgent is the User-Agent header value of every API and token request.
const userAgent = "telenor-go/" + Version
