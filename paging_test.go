package telenor

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLastPage(t *testing.T) {
	assert.False(t, lastPage(page{total: -1}, 5, 0, 5, 5))
	assert.True(t, lastPage(page{total: -1}, 4, 0, 5, 4), "short page")
	assert.True(t, lastPage(page{totalPages: 2, total: -1}, 5, 1, 5, 10))
	assert.True(t, lastPage(page{total: 10}, 5, 1, 5, 10))
	assert.True(t, lastPage(page{last: true, total: -1}, 5, 0, 5, 5))
}
