// Package docs embeds the API contract so that the binary serves it and the tests check every
// response against it.
package docs

import _ "embed"

// OpenAPI is docs/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
