package incident_test

// The Go binding defines no C layout or value by hand: it uses the C structs
// through cgo (C.inc_x), and every constant that mirrors a C enum constant or
// #define is written C.INC_... . This test holds it to that, against
// tests/abi/layout_dump (generated from the public headers, built by CMake;
// found through INC_BUILD_DIR):
//
//   - no constant of the package is an integer literal (outside the short
//     list below, each with its reason): a literal would be a hand copy;
//   - every C.INC_... a constant names exists in the headers;
//   - each Go type names the constants of one C enum, all of them (the
//     *COUNT bounds aside, unless Go uses them), so an enum constant added to
//     a header fails here until Go has it.

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Integer-literal constants that mirror nothing in C.
var notMirrored = map[string]string{}

// C enum constants no Go type needs, and why.
var notInGo = map[string]string{}

type layoutDump struct {
	enumOf map[string]string // C constant -> its C enum
	consts map[string]bool   // integer #defines
	enums  map[string][]string
}

func readLayoutDump(t *testing.T) layoutDump {
	t.Helper()
	dir := os.Getenv("INC_BUILD_DIR")
	if dir == "" {
		t.Skip("INC_BUILD_DIR is not set: cannot find tests/abi/layout_dump")
	}
	out, err := exec.Command(filepath.Join(dir, "tests", "abi", "layout_dump")).Output()
	if err != nil {
		t.Fatalf("layout_dump: %v (build the tests: INC_BUILD_TESTS=ON)", err)
	}
	d := layoutDump{enumOf: map[string]string{}, consts: map[string]bool{}, enums: map[string][]string{}}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		w := strings.Fields(sc.Text())
		switch w[0] {
		case "enum":
			d.enumOf[w[2]] = w[1]
			d.enums[w[1]] = append(d.enums[w[1]], w[2])
		case "const":
			d.consts[w[1]] = true
		}
	}
	return d
}

// goConst is one constant of the package: its type (possibly ""), the
// C.INC_... names its value uses and whether it has an integer literal.
type goConst struct {
	name, typ, pos string
	cNames         []string
	literal        bool
}

func packageConsts(t *testing.T) []goConst {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []goConst
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				typ := ""
				if id, ok := vs.Type.(*ast.Ident); ok {
					typ = id.Name
				}
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						t.Fatalf("%s: %s: implicit (iota) values are hand numbering",
							fset.Position(name.Pos()), name.Name)
					}
					c := goConst{name: name.Name, typ: typ, pos: fset.Position(name.Pos()).String()}
					ast.Inspect(vs.Values[i], func(n ast.Node) bool {
						switch x := n.(type) {
						case *ast.SelectorExpr:
							if pkg, ok := x.X.(*ast.Ident); ok && pkg.Name == "C" &&
								strings.HasPrefix(x.Sel.Name, "INC_") {
								c.cNames = append(c.cNames, x.Sel.Name)
							}
						case *ast.BasicLit:
							if x.Kind == token.INT {
								c.literal = true
							}
						}
						return true
					})
					out = append(out, c)
				}
			}
		}
	}
	return out
}

func TestLayoutNoHandCopiedNumbers(t *testing.T) {
	d := readLayoutDump(t)
	for _, c := range packageConsts(t) {
		if c.literal && len(c.cNames) == 0 && notMirrored[c.name] == "" {
			t.Errorf("%s: %s is an integer literal: use the C constant (C.INC_...)", c.pos, c.name)
		}
		for _, n := range c.cNames {
			if d.enumOf[n] == "" && !d.consts[n] {
				t.Errorf("%s: %s uses C.%s, which the public headers do not define", c.pos, c.name, n)
			}
		}
	}
}

func TestLayoutEveryEnumConstantMirrored(t *testing.T) {
	d := readLayoutDump(t)
	enumOfType := map[string]string{} // Go type -> C enum
	used := map[string]string{}       // C constant -> Go constant
	for _, c := range packageConsts(t) {
		for _, n := range c.cNames {
			e := d.enumOf[n]
			if e == "" {
				continue
			}
			if prev, ok := used[n]; ok {
				t.Errorf("%s: %s and %s are both C.%s", c.pos, prev, c.name, n)
			}
			used[n] = c.name
			if c.typ == "" {
				continue
			}
			if prev := enumOfType[c.typ]; prev != "" && prev != e {
				t.Errorf("%s: type %s mixes constants of %s and %s", c.pos, c.typ, prev, e)
			}
			enumOfType[c.typ] = e
		}
	}
	if len(enumOfType) < 20 {
		t.Fatalf("only %d Go types mirror a C enum: the source parse is broken", len(enumOfType))
	}
	for typ, e := range enumOfType {
		var missing []string
		for _, n := range d.enums[e] {
			if used[n] == "" && notInGo[n] == "" && !strings.HasSuffix(n, "COUNT") {
				missing = append(missing, n)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("type %s (%s) has no constant for %s", typ, e, strings.Join(missing, ", "))
		}
	}
}
