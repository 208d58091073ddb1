//go:build linux

package main

import (
	"os"
	"syscall"
)

// maxRSS is the peak resident memory of an exited child process in
// bytes, or -1 where it is not known.
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024 // Linux reports KiB
	}
	return -1
}
