package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/telenor-go/telenor"
)

func versionCommand() *command {
	return &command{
		name: "version", summary: "print the versions of the tool, the SDK and Go",
		help: "version prints the versions of the tool, the SDK it is built with, and Go.",
		run:  runVersion,
	}
}

func runVersion(_ context.Context, inv *invocation) error {
	if err := noArgs(inv); err != nil {
		return err
	}
	_, err := fmt.Fprintf(inv.env.stdout, "telenor %s\nsdk     %s\ngo      %s %s/%s\n",
		buildVersion(), telenor.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}

// buildVersion is the module version "go install …@version" recorded (or
// the version go build derived from the checkout's commit), else
// "(devel)" plus the commit when one was recorded.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" {
		return "(unknown)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		if v == "(devel)" && s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}
