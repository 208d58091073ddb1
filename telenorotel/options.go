package telenorotel

import (
	"strconv"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/telenor-go/telenor"
)

// The options of every span and measurement that depend only on the
// operation or the route are built once and reused: building them per
// call (attribute sets, option values) cost more than the spans.

// operationInfo is what an operation's spans and measurements share.
type operationInfo struct {
	span        string // span name
	list        bool   // the operation answers a list (telenor.items)
	operation   attribute.KeyValue
	firstTimeOK []attribute.KeyValue // end attributes of a success at the first attempt
	start       []trace.SpanStartOption
	duration    [len(statusClasses)][]metric.RecordOption // by status class
	retries     [len(statusClasses)][]metric.AddOption
	replays     []metric.AddOption

	// last is the operation's most recent attempt options: an operation
	// calls one route on one host, so this spares the look-up by key.
	last atomic.Pointer[attemptInfo]
}

// lists are the operations that answer a list.
var lists = map[string]bool{"Organizations": true, "Agreements": true, "Accounts": true, "MobileSubscriptions": true}

func newOperationInfo(name string) *operationInfo {
	op := attrOperation.String(name)
	info := &operationInfo{
		span:        "telenor." + name,
		list:        lists[name],
		operation:   op,
		firstTimeOK: []attribute.KeyValue{op, attrAttempts.Int(1), semconv.HTTPResponseStatusCode(200)},
		start:       []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindInternal)},
		replays:     []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(op))},
	}
	for c, class := range statusClasses {
		set := metric.WithAttributeSet(attribute.NewSet(op, attrStatusClass.String(class)))
		info.duration[c] = []metric.RecordOption{set}
		info.retries[c] = []metric.AddOption{set}
	}
	return info
}

// operations are the SDK's operation names (and "", a request through a
// session's HTTPClient to a route the SDK does not know): New builds their
// options, read without a lock.
var operations = [...]string{"UserInfo", "DeviceInfo", "Organizations", "Agreements", "Accounts",
	"MobileSubscriptions", "Logout", ""}

// knownOperations builds the options of operations.
func knownOperations() map[string]*operationInfo {
	m := make(map[string]*operationInfo, len(operations))
	for _, name := range operations {
		m[name] = newOperationInfo(name)
	}
	return m
}

// operation returns name's shared options.
func (o *Observer) operation(name string) *operationInfo {
	if info := o.known[name]; info != nil {
		return info
	}
	if info, ok := o.ops.Load(name); ok {
		return info.(*operationInfo)
	}
	info, _ := o.ops.LoadOrStore(name, newOperationInfo(name))
	return info.(*operationInfo)
}

// attemptKey is what an attempt's start options depend on. Its method is
// normalised (httpMethod), so that odd methods through HTTPClient cannot
// grow the cache without bound.
type attemptKey struct {
	operation, method, route, host string
	port                           int
}

// attemptInfo is an attempt's span name, start options and attributes,
// and its operation's, so that AttemptEnd looks up once.
// Its slices are shared read-only: spans copy what they are given.
type attemptInfo struct {
	key         attemptKey
	span        string
	op          *operationInfo          // the attempt's operation's
	request     []attribute.KeyValue    // method, server, url.template
	firstTimeOK []attribute.KeyValue    // request's and a 200's: the common end
	start       []trace.SpanStartOption // client kind and the request's attributes
	deferred    []trace.SpanStartOption // client kind only: attributes at the end
}

// attempt returns a's shared start options and attributes.
func (o *Observer) attempt(a telenor.Attempt) *attemptInfo {
	op := o.operation(a.Operation)
	method := httpMethod(a.Method)
	key := attemptKey{a.Operation, method.Value.AsString(), a.Route, a.Host, a.Port}
	if info := op.last.Load(); info != nil && info.key == key {
		return info
	}
	if info, ok := o.attempts.Load(key); ok {
		op.last.Store(info.(*attemptInfo))
		return info.(*attemptInfo)
	}
	request := []attribute.KeyValue{method, semconv.ServerAddress(a.Host), semconv.ServerPort(a.Port)}
	name := key.method
	if name == semconv.HTTPRequestMethodOther.Value.AsString() {
		name = "HTTP" // semantic conventions' name for a method they do not know
	}
	if a.Route != "" {
		name += " " + a.Route
		request = append(request, semconv.URLTemplate(a.Route))
	}
	kind := trace.WithSpanKind(trace.SpanKindClient)
	info, _ := o.attempts.LoadOrStore(key, &attemptInfo{
		key:         key,
		span:        name,
		op:          op,
		request:     request[:len(request):len(request)],
		firstTimeOK: append(request[:len(request):len(request)], semconv.HTTPResponseStatusCode(200)),
		start:       []trace.SpanStartOption{kind, trace.WithAttributes(request...)},
		deferred:    []trace.SpanStartOption{kind},
	})
	op.last.Store(info.(*attemptInfo))
	return info.(*attemptInfo)
}

// httpMethod is http.request.method: the method when semantic
// conventions know it, else "_OTHER".
func httpMethod(m string) attribute.KeyValue {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH":
		return semconv.HTTPRequestMethodKey.String(m)
	}
	return semconv.HTTPRequestMethodOther
}

// statusClasses are telenor.status_class values, indexed by classOf.
var statusClasses = [...]string{"none", "1xx", "2xx", "3xx", "4xx", "5xx"}

// classOf is the index in statusClasses of an HTTP status: 0 for no
// answer (or an impossible status).
func classOf(status int) int {
	if c := status / 100; c >= 1 && c < len(statusClasses) {
		return c
	}
	return 0
}

// statusText is an HTTP status as error.type has it: its number.
func statusText(status int) string { return strconv.Itoa(status) }
