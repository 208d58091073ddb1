// Package exampletest runs an example program's main function in a child
// process, so that tests see exactly what the program prints (usage text,
// errors, logs) when it is started with given arguments and environment.
package exampletest

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"testing"
)

// argsEnv carries the child's arguments (JSON); set, it makes the test
// binary run main instead of the test.
const argsEnv = "TELENOR_EXAMPLETEST_MAIN_ARGS"

// Run runs main as a program started with args and only the environment
// env, and returns its combined stdout and stderr and its exit code.
//
// It starts this test binary again, running only the calling test, which
// must be a top-level test (not a subtest) that passes the same main: in
// that child process the test's first call to Run calls main with os.Args
// set to args, and exits when main returns.
func Run(t *testing.T, main func(), args []string, env map[string]string) (output string, exitCode int) {
	t.Helper()
	if raw, ok := os.LookupEnv(argsEnv); ok {
		var childArgs []string
		if err := json.Unmarshal([]byte(raw), &childArgs); err != nil {
			t.Fatalf("%s: %v", argsEnv, err)
		}
		os.Args = append([]string{"example"}, childArgs...)
		main()
		os.Exit(0)
	}
	encoded, err := json.Marshal(append([]string{}, args...))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^"+t.Name()+"$", "-test.count=1")
	cmd.Env = []string{argsEnv + "=" + string(encoded)}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	case err != nil:
		t.Fatalf("running the example with %q: %v", args, err)
	}
	return string(out), 0
}
