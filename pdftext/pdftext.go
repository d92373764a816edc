// Package pdftext reads the text of the PDFs kiemtra makes, for tests: with poppler's
// pdftotext, which CI installs (.ci/run). Without it a test fails when KIEMTRA_REQUIRE_BROWSER
// is set (CI) and is skipped otherwise, so that no PDF test passes without reading its PDF.
package pdftext

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// Text is the PDF's text in reading order, in NFC.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	return run(t, pdf)
}

// Lines are the PDF's lines as laid out on the page (pdftotext -layout), in NFC, each with its
// runs of spaces squeezed to one: a table's row reads as its cells separated by spaces.
func Lines(t testing.TB, pdf []byte) []string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(run(t, pdf, "-layout"), "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	return lines
}

// HasRow reports whether the cells stand in order in one line, or across a line and the next
// (a last cell that wraps).
func HasRow(lines, cells []string) bool {
	want := strings.Join(cells, " ")
	for i, l := range lines {
		if strings.Contains(l, want) || i+1 < len(lines) && strings.Contains(l+" "+lines[i+1], want) {
			return true
		}
	}
	return false
}

func run(t testing.TB, pdf []byte, flags ...string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("KIEMTRA_REQUIRE_BROWSER") != "" {
			t.Fatal("pdftotext is missing: install poppler-utils")
		}
		t.Skip("pdftotext (poppler-utils) is not installed: the PDF's text cannot be read")
	}
	cmd := exec.Command("pdftotext", append(flags, "-enc", "UTF-8", "-", "-")...)
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return norm.NFC.String(string(out))
}
