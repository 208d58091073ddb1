package webapp

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/telenor-go/telenor"
)

func TestSessionsExpire(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cli, err := telenor.NewClient(telenor.Config{ClientID: "id", ClientSecret: "secret"})
		assert.NoError(t, err)
		s := newSessionStore(time.Hour, true)
		id := s.add(cli.RestoreUserSession(nil))
		assert.NotEqual(t, id, s.add(cli.RestoreUserSession(nil)), "ids are random")

		time.Sleep(time.Hour - time.Second)
		_, ok := s.get(id)
		assert.True(t, ok, "alive until its lifetime ends")

		time.Sleep(time.Second)
		_, ok = s.get(id)
		assert.False(t, ok, "gone once its lifetime ends")
		s.add(cli.RestoreUserSession(nil))
		assert.Equal(t, 1, s.count(), "adding forgets the expired entries")
	})
}
