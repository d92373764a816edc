// Package web holds the pages kiemtra serves, embedded in the binary so that the service works on
// an office network without internet access.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var files embed.FS

//go:embed templates
var templates embed.FS

// Templates returns the server-rendered pages (the public tip form), rooted above "templates".
func Templates() fs.FS { return templates }

// FS returns the static files, rooted at the static folder.
func FS() http.FileSystem {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the folder is embedded at build time; this cannot happen at run time
	}
	return http.FS(sub)
}
