package wire

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// item is a type as the SDK writes them: tags, a kept object, a view.
type item struct {
	ID   string `json:"id" alias:"itemId"`
	On   *bool  `json:"on"`
	Skip string `json:"-"`
	raw  string
}

func (it *item) view() (any, *string) {
	type plain item
	return (*plain)(it), &it.raw
}

func (it *item) UnmarshalJSON(b []byte) error {
	v, raw := it.view()
	return Decode(b, v, raw)
}

func (it item) MarshalJSON() ([]byte, error) { return Encode(&it, it.raw) }

func TestDecodeLenient(t *testing.T) {
	var it item
	require.NoError(t, json.Unmarshal([]byte(`{"id":12,"on":1,"x":"y"}`), &it))
	assert.Equal(t, "12", it.ID, "a number for a string, as written")
	assert.Nil(t, it.On, "a mistyped bool stays nil, not false")
	assert.Equal(t, map[string]json.RawMessage{"on": json.RawMessage("1"), "x": json.RawMessage(`"y"`)}, Unknown[item](it.raw))

	for _, bad := range []string{`[]`, `"x"`, `{"id":`, `{} x`} {
		assert.Error(t, json.Unmarshal([]byte(bad), new(item)), bad)
	}
	it = item{ID: "keep"}
	require.NoError(t, json.Unmarshal([]byte(`null`), &it))
	assert.Equal(t, "keep", it.ID, "null leaves the value alone")
}

func TestAliasOnTheMemberByMemberPath(t *testing.T) {
	var it item
	require.NoError(t, DecodeEach([]byte(`{"ITEMID":"7","on":true}`), &it, &it.raw))
	assert.Equal(t, "7", it.ID)
	assert.Nil(t, Unknown[item](it.raw))
	enc, err := json.Marshal(it)
	require.NoError(t, err)
	assert.JSONEq(t, `{"ITEMID":"7","on":true}`, string(enc), "under the name it came in")
	assert.Equal(t, []string{"id", "on"}, Names[item]())
}

func TestDecodeItems(t *testing.T) {
	view := func(it *item) (any, *string) { return it.view() }
	items, err := DecodeItems([]byte(` [ {"id":"a"} , {"id":2,"on":"no"},{"id":"c","on":false} ] `), 3, view)
	require.NoError(t, err)
	require.Len(t, items, 3)
	assert.Equal(t, []string{"a", "2", "c"}, []string{items[0].ID, items[1].ID, items[2].ID})
	assert.Equal(t, `{"id":2,"on":"no"}`, items[1].raw, "each item keeps its own bytes")
	assert.Nil(t, items[1].On)
	require.NotNil(t, items[2].On)

	for _, bad := range []string{`[{"id":"a"},{"id":"b"},{},{}]`, `[{"id":"a"},7]`, `[{"id":"a"}`, `[{}]]`, `{}`} {
		_, err := DecodeItems([]byte(bad), 3, view)
		assert.Error(t, err, bad)
	}
}
