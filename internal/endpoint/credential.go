package endpoint

import (
	"fmt"
	"strings"
	"unicode"
)

// Credential checks a client id or secret. White space at either end, as
// a copy from a console or a file adds, or a control character anywhere
// would be sent as part of it, and the token endpoint would answer
// invalid_client as if it were wrong.
func Credential(field, v string) error {
	switch {
	case strings.TrimSpace(v) == "":
		return fmt.Errorf("%s is empty; copy it from your app in the developer dashboard", field)
	case strings.TrimSpace(v) != v || strings.ContainsFunc(v, unicode.IsControl):
		return fmt.Errorf("%s has white space at an end or a control character (a copied newline?); remove it", field)
	}
	return nil
}
