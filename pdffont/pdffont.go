// Package pdffont holds the fonts kiemtra's PDF documents are set in (the inspection record,
// the official periodic report), embedded once for every package that writes a PDF. DejaVu
// Sans covers Vietnamese; its licence (fonts/LICENSE-DejaVu.txt) allows embedding.
package pdffont

import (
	_ "embed"

	"github.com/go-pdf/fpdf"
)

var (
	//go:embed fonts/DejaVuSans.ttf
	regular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	bold []byte
)

// Family is the font family Register adds, in a regular ("") and a bold ("B") style.
const Family = "DejaVu"

// Register adds the fonts to a document, so that it can SetFont(Family, "" or "B", size).
func Register(pdf *fpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(Family, "", regular)
	pdf.AddUTF8FontFromBytes(Family, "B", bold)
}
