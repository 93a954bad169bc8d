// Package baking reads and writes Open Badges 3.0 baked images: a
// credential embedded in a PNG (an iTXt chunk with the keyword
// openbadgecredential) or an SVG (an openbadges:credential element, the
// credential as its text or, for a compact JWT, its verify attribute).
//
// Images come from anyone, so reading is bounded before it starts: the
// image size, the number of PNG chunks, the size of the credential text and
// the number of XML tokens read are all limited, and every PNG chunk's CRC
// is checked.
package baking

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
)

// Keyword is the PNG iTXt keyword of a baked Open Badges 3.0 credential.
const Keyword = "openbadgecredential"

// Namespace is the XML namespace of the SVG openbadges:credential element.
const Namespace = "https://purl.imsglobal.org/ob/v3p0"

// Limits.
const (
	MaxImageBytes      = 16 << 20 // a badge image; print-quality PNGs are far smaller
	MaxCredentialBytes = 1 << 20  // the embedded credential, as the verifier's default
	maxChunks          = 4096
	maxXMLTokens       = 200000
)

// Errors, for errors.Is.
var (
	ErrMalformed    = errors.New("baked image: malformed")
	ErrNotBaked     = errors.New("baked image: no credential in the image")
	ErrTooLarge     = errors.New("baked image: too large")
	ErrAlreadyBaked = errors.New("baked image: already holds a credential")
)

// Kind of image.
type Kind int

// Image kinds.
const (
	Unknown Kind = iota
	PNG
	SVG
)

func (k Kind) String() string {
	switch k {
	case PNG:
		return "png"
	case SVG:
		return "svg"
	}
	return "unknown"
}

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// Sniff tells a PNG or SVG image from anything else.
func Sniff(data []byte) Kind {
	if bytes.HasPrefix(data, pngMagic) {
		return PNG
	}
	d := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	head := d[:min(len(d), 4096)]
	if bytes.HasPrefix(d, []byte("<svg")) || (bytes.HasPrefix(d, []byte("<?xml")) || bytes.HasPrefix(d, []byte("<!")) || bytes.HasPrefix(d, []byte("<!--"))) && bytes.Contains(head, []byte("<svg")) {
		return SVG
	}
	return Unknown
}

// Extract returns the credential baked into a PNG or SVG image.
func Extract(data []byte) ([]byte, Kind, error) {
	if len(data) > MaxImageBytes {
		return nil, Unknown, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxImageBytes)
	}
	switch k := Sniff(data); k {
	case PNG:
		c, err := ExtractPNG(data)
		return c, k, err
	case SVG:
		c, err := ExtractSVG(data)
		return c, k, err
	}
	return nil, Unknown, fmt.Errorf("%w: neither a PNG nor an SVG image", ErrMalformed)
}

type chunk struct {
	typ        string
	data       []byte
	start, end int // offsets of the whole chunk (length to CRC)
}

func pngChunks(data []byte) ([]chunk, error) {
	if len(data) > MaxImageBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxImageBytes)
	}
	if !bytes.HasPrefix(data, pngMagic) {
		return nil, fmt.Errorf("%w: not a PNG", ErrMalformed)
	}
	var out []chunk
	for off := len(pngMagic); ; {
		if len(out) >= maxChunks {
			return nil, fmt.Errorf("%w: more than %d chunks", ErrMalformed, maxChunks)
		}
		if len(data)-off < 12 {
			return nil, fmt.Errorf("%w: truncated at byte %d (no IEND chunk)", ErrMalformed, off)
		}
		n := binary.BigEndian.Uint32(data[off:])
		if n > uint32(len(data)-off-12) {
			return nil, fmt.Errorf("%w: chunk at byte %d claims %d bytes, only %d remain", ErrMalformed, off, n, len(data)-off-12)
		}
		typ := string(data[off+4 : off+8])
		body := data[off+8 : off+8+int(n)]
		crc := binary.BigEndian.Uint32(data[off+8+int(n):])
		if crc32.ChecksumIEEE(data[off+4:off+8+int(n)]) != crc {
			return nil, fmt.Errorf("%w: chunk %q at byte %d has a bad CRC", ErrMalformed, typ, off)
		}
		end := off + 12 + int(n)
		out = append(out, chunk{typ: typ, data: body, start: off, end: end})
		off = end
		if typ == "IEND" {
			return out, nil
		}
	}
}

// parseITXt splits an iTXt chunk: keyword, compression flag and method,
// language tag, translated keyword, text.
func parseITXt(b []byte) (keyword string, text []byte, err error) {
	k, rest, ok := bytes.Cut(b, []byte{0})
	if !ok || len(rest) < 2 {
		return "", nil, fmt.Errorf("%w: iTXt chunk", ErrMalformed)
	}
	flag, method := rest[0], rest[1]
	rest = rest[2:]
	if _, rest, ok = bytes.Cut(rest, []byte{0}); !ok { // language tag
		return "", nil, fmt.Errorf("%w: iTXt chunk", ErrMalformed)
	}
	if _, rest, ok = bytes.Cut(rest, []byte{0}); !ok { // translated keyword
		return "", nil, fmt.Errorf("%w: iTXt chunk", ErrMalformed)
	}
	switch {
	case flag == 0:
		text = rest
	case flag == 1 && method == 0:
		zr, err := zlib.NewReader(bytes.NewReader(rest))
		if err != nil {
			return "", nil, fmt.Errorf("%w: compressed iTXt: %v", ErrMalformed, err)
		}
		defer zr.Close()
		text, err = io.ReadAll(io.LimitReader(zr, MaxCredentialBytes+1))
		if err != nil {
			return "", nil, fmt.Errorf("%w: compressed iTXt: %v", ErrMalformed, err)
		}
	default:
		return "", nil, fmt.Errorf("%w: iTXt compression flag %d method %d", ErrMalformed, flag, method)
	}
	if len(text) > MaxCredentialBytes {
		return "", nil, fmt.Errorf("%w: baked credential larger than %d bytes", ErrTooLarge, MaxCredentialBytes)
	}
	return string(k), text, nil
}

// ExtractPNG returns the text of the openbadgecredential iTXt chunk.
func ExtractPNG(data []byte) ([]byte, error) {
	chunks, err := pngChunks(data)
	if err != nil {
		return nil, err
	}
	var found []byte
	for _, c := range chunks {
		if c.typ != "iTXt" || !bytes.HasPrefix(c.data, []byte(Keyword+"\x00")) {
			continue
		}
		_, text, err := parseITXt(c.data)
		if err != nil {
			return nil, err
		}
		if found != nil {
			return nil, fmt.Errorf("%w: more than one %s chunk: which credential the image carries is ambiguous", ErrMalformed, Keyword)
		}
		found = text
	}
	if found == nil {
		return nil, fmt.Errorf("%w: the PNG has no iTXt %s chunk", ErrNotBaked, Keyword)
	}
	return bytes.TrimSpace(found), nil
}

// BakePNG returns a copy of a PNG image with credential (JSON or a compact
// JWT) in an uncompressed iTXt openbadgecredential chunk, placed before
// IEND; an existing one is replaced.
func BakePNG(img, credential []byte) ([]byte, error) {
	if len(credential) == 0 || len(credential) > MaxCredentialBytes {
		return nil, fmt.Errorf("%w: credential of %d bytes", ErrTooLarge, len(credential))
	}
	chunks, err := pngChunks(img)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Write(pngMagic)
	for _, c := range chunks {
		if c.typ == "iTXt" && bytes.HasPrefix(c.data, []byte(Keyword+"\x00")) {
			continue
		}
		if c.typ == "IEND" {
			body := append([]byte(Keyword), 0, 0, 0, 0, 0)
			body = append(body, credential...)
			var hdr [8]byte
			binary.BigEndian.PutUint32(hdr[:4], uint32(len(body)))
			copy(hdr[4:], "iTXt")
			out.Write(hdr[:])
			out.Write(body)
			var crc [4]byte
			binary.BigEndian.PutUint32(crc[:], crc32.ChecksumIEEE(append([]byte("iTXt"), body...)))
			out.Write(crc[:])
		}
		out.Write(img[c.start:c.end])
	}
	return out.Bytes(), nil
}

// ExtractSVG returns the credential of the openbadges:credential element:
// its verify attribute (a compact JWT) or its text (JSON, possibly CDATA).
func ExtractSVG(data []byte) ([]byte, error) {
	if len(data) > MaxImageBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxImageBytes)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var (
		in      bool
		text    bytes.Buffer
		found   []byte
		sawRoot bool
		depth   int
	)
	for n := 0; ; n++ {
		if n > maxXMLTokens {
			return nil, fmt.Errorf("%w: more than %d XML tokens", ErrMalformed, maxXMLTokens)
		}
		tok, err := dec.RawToken()
		if err == io.EOF {
			if depth != 0 || !sawRoot {
				return nil, fmt.Errorf("%w: SVG: unexpected end of document", ErrMalformed)
			}
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: SVG: %v", ErrMalformed, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if !sawRoot {
				sawRoot = true
				if t.Name.Local != "svg" {
					return nil, fmt.Errorf("%w: the root element is <%s>, not <svg>", ErrMalformed, t.Name.Local)
				}
			}
			if t.Name.Local == "credential" && t.Name.Space != "" && prefixIs(data, t.Name.Space) {
				if in || found != nil {
					return nil, fmt.Errorf("%w: more than one openbadges:credential element", ErrMalformed)
				}
				in = true
				text.Reset()
				for _, a := range t.Attr {
					if a.Name.Local == "verify" && a.Name.Space == "" {
						found = []byte(strings.TrimSpace(a.Value))
					}
				}
			}
		case xml.CharData:
			if in {
				if text.Len()+len(t) > MaxCredentialBytes {
					return nil, fmt.Errorf("%w: baked credential larger than %d bytes", ErrTooLarge, MaxCredentialBytes)
				}
				text.Write(t)
			}
		case xml.EndElement:
			depth--
			if in && t.Name.Local == "credential" {
				in = false
				if found == nil {
					found = bytes.TrimSpace(text.Bytes())
					found = append([]byte(nil), found...)
				}
				if len(found) == 0 {
					return nil, fmt.Errorf("%w: the openbadges:credential element is empty", ErrMalformed)
				}
			}
		case xml.Directive:
			if bytes.Contains(bytes.ToUpper(t), []byte("ENTITY")) {
				return nil, fmt.Errorf("%w: SVG declares entities; baked images may not", ErrMalformed)
			}
		}
	}
	if found == nil {
		return nil, fmt.Errorf("%w: the SVG has no openbadges:credential element", ErrNotBaked)
	}
	return found, nil
}

// prefixIs reports whether the element's prefix is bound to the Open
// Badges 3.0 namespace in the document. RawToken leaves the prefix in
// Name.Space; the binding is looked up textually, which is enough for a
// root-level xmlns declaration, the only place the spec puts it.
func prefixIs(data []byte, prefix string) bool {
	return bytes.Contains(data, []byte(`xmlns:`+prefix+`="`+Namespace+`"`)) || bytes.Contains(data, []byte(`xmlns:`+prefix+`='`+Namespace+`'`))
}

// BakeSVG returns a copy of an SVG image with credential in an
// openbadges:credential element right after the opening <svg> tag: a
// compact JWT in its verify attribute, JSON as CDATA text. The namespace is
// declared on the root element when missing.
func BakeSVG(img, credential []byte) ([]byte, error) {
	if len(credential) == 0 || len(credential) > MaxCredentialBytes {
		return nil, fmt.Errorf("%w: credential of %d bytes", ErrTooLarge, len(credential))
	}
	if _, err := ExtractSVG(img); err == nil {
		return nil, ErrAlreadyBaked
	} else if !errors.Is(err, ErrNotBaked) {
		return nil, err
	}
	dec := xml.NewDecoder(bytes.NewReader(img))
	var end int64
	var root xml.StartElement
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return nil, fmt.Errorf("%w: SVG: %v", ErrMalformed, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			root, end = se, dec.InputOffset()
			break
		}
	}
	tag := img[:end]
	if bytes.HasSuffix(tag, []byte("/>")) {
		return nil, fmt.Errorf("%w: the <svg> element is empty", ErrMalformed)
	}
	hasNS := false
	for _, a := range root.Attr {
		if a.Name.Space == "xmlns" && a.Name.Local == "openbadges" {
			if a.Value != Namespace {
				return nil, fmt.Errorf("%w: the openbadges prefix is bound to %q", ErrMalformed, a.Value)
			}
			hasNS = true
		}
	}
	var out bytes.Buffer
	if hasNS {
		out.Write(tag)
	} else {
		out.Write(tag[:len(tag)-1])
		out.WriteString(` xmlns:openbadges="` + Namespace + `">`)
	}
	c := bytes.TrimSpace(credential)
	if c[0] == '{' {
		if bytes.Contains(c, []byte("]]>")) {
			return nil, fmt.Errorf("%w: the credential contains ]]>", ErrMalformed)
		}
		out.WriteString("\n<openbadges:credential><![CDATA[")
		out.Write(c)
		out.WriteString("]]></openbadges:credential>")
	} else {
		var esc bytes.Buffer
		if err := xml.EscapeText(&esc, c); err != nil {
			return nil, err
		}
		out.WriteString("\n<openbadges:credential verify=\"")
		out.Write(esc.Bytes())
		out.WriteString("\"></openbadges:credential>")
	}
	out.Write(img[end:])
	return out.Bytes(), nil
}
