package main

import (
	"fmt"
	"io"
	"strconv"
	"sync/atomic"
	"time"
)

// progressEvery is how often the progress line is redrawn.
const progressEvery = 250 * time.Millisecond

// progress redraws one line on a terminal: items so far, the rate and the
// time elapsed. A nil *progress does nothing, so callers need no checks.
type progress struct {
	n     atomic.Int64
	w     io.Writer
	noun  string
	start time.Time
	stop  chan struct{}
	done  chan struct{}
}

// startProgress starts redrawing on w, or returns nil when !enabled.
func startProgress(w io.Writer, enabled bool, noun string) *progress {
	if !enabled {
		return nil
	}
	p := &progress{w: w, noun: noun, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p
}

func (p *progress) add() {
	if p != nil {
		p.n.Add(1)
	}
}

func (p *progress) loop() {
	defer close(p.done)
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.draw("")
		case <-p.stop:
			return
		}
	}
}

// finish stops redrawing and leaves the final count on its own line.
func (p *progress) finish() {
	if p == nil {
		return
	}
	close(p.stop)
	<-p.done
	p.draw("\n")
}

func (p *progress) draw(end string) {
	n := p.n.Load()
	elapsed := time.Since(p.start)
	rate := int64(float64(n) / max(elapsed.Seconds(), 1e-3))
	fmt.Fprintf(p.w, "\r\x1b[K%s %s  %s/s  %s%s",
		thousands(n), p.noun, thousands(rate), elapsed.Round(100*time.Millisecond), end)
}

// thousands formats n with commas: 100,000.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
