package telenortest

import "testing"

func TestSubscriberFullName(t *testing.T) {
	for _, tt := range []struct {
		sub  Subscriber
		want string
	}{
		{Subscriber{GivenName: "Kari", FamilyName: "Nordmann"}, "Kari Nordmann"},
		{Subscriber{GivenName: " Ola", MiddleName: "Johan", FamilyName: "Nordmann "}, "Ola Johan Nordmann"},
		{Subscriber{}, ""},
	} {
		if got := tt.sub.FullName(); got != tt.want {
			t.Errorf("FullName() = %q, want %q", got, tt.want)
		}
	}
}
