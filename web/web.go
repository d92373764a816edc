// Package web holds the pages kiemtra serves, embedded in the binary so that the service works on
// an office network without internet access.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

//go:embed templates
var templates embed.FS

// Templates returns the server-rendered pages (the public tip form), rooted above "templates".
func Templates() fs.FS { return templates }

// Static returns the embedded static files, rooted above "static".
func Static() fs.FS { return files }
