package telenor

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// members calls f with the raw key (quotes removed, escapes as sent) and
// raw value of each member of the JSON object data, allocating nothing.
// It is the cheap second look that finds members a struct decode skipped;
// call it only on data that encoding/json has accepted. On anything else
// it stops early rather than panic.
func members(data []byte, f func(key, value []byte)) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return
	}
	for i++; ; {
		i = skipSpace(data, i)
		if i >= len(data) || data[i] == '}' {
			return
		}
		if data[i] == ',' {
			i++
			continue
		}
		end := skipString(data, i)
		if end <= i+1 || end > len(data) {
			return
		}
		key := data[i+1 : end-1]
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return
		}
		i = skipSpace(data, i+1)
		vend := skipValue(data, i)
		if vend <= i {
			return
		}
		f(key, data[i:vend])
		i = vend
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at data[i].
func skipString(data []byte, i int) int {
	if i >= len(data) || data[i] != '"' {
		return i
	}
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(data)
}

// skipValue returns the index after the JSON value starting at data[i].
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				i = skipString(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(data)
	}
	for i < len(data) && !strings.ContainsRune(",}] \t\r\n", rune(data[i])) {
		i++
	}
	return i
}

// oneOf reports whether key matches one of names, ignoring case as
// encoding/json does.
func oneOf(key []byte, names ...string) bool {
	for _, n := range names {
		if strings.EqualFold(string(key), n) {
			return true
		}
	}
	return false
}

// addExtra records an unknown member, unescaping its key and copying its
// value out of the response buffer.
func addExtra(m map[string]json.RawMessage, key, value []byte) map[string]json.RawMessage {
	k := string(key)
	if strings.ContainsRune(k, '\\') || !utf8.ValidString(k) { // decode as encoding/json would
		_ = json.Unmarshal([]byte(`"`+k+`"`), &k)
	}
	return setRaw(m, k, append(json.RawMessage(nil), value...))
}

// unknownMembers returns the members of the object data whose keys are not
// in known, or nil.
func unknownMembers(data []byte, known ...string) (extra map[string]json.RawMessage) {
	members(data, func(k, v []byte) {
		if !oneOf(k, known...) {
			extra = addExtra(extra, k, v)
		}
	})
	return extra
}
