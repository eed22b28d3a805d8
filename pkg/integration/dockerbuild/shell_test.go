package dockerbuild

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// command is one simple command of a shell script: its words (literal text where the word is
// literal or quoted, the source text where it expands something) and the patterns of the case
// arms it runs under, outermost first.
type command struct {
	words []string
	arms  []string
}

// shellCommands lists every simple command of a bash script, in order, including those inside
// case arms, loops, conditions and command substitutions.
func shellCommands(src string) ([]command, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
	if err != nil {
		return nil, err
	}
	var out []command
	var visit func(n syntax.Node, arms []string)
	visit = func(n syntax.Node, arms []string) {
		syntax.Walk(n, func(n syntax.Node) bool {
			switch n := n.(type) {
			case *syntax.CaseClause:
				for _, item := range n.Items {
					var pats []string
					for _, p := range item.Patterns {
						pats = append(pats, wordText(p))
					}
					inner := append(append([]string(nil), arms...), strings.Join(pats, "|"))
					for _, st := range item.Stmts {
						visit(st, inner)
					}
				}
				return false
			case *syntax.CallExpr:
				var words []string
				for _, w := range n.Args {
					words = append(words, wordText(w))
				}
				if len(words) > 0 {
					out = append(out, command{words: words, arms: arms})
				}
			}
			return true
		})
	}
	visit(f, nil)
	return out, nil
}

// wordText is a word's value when it is literal or quoted literal text, else its source.
func wordText(w *syntax.Word) string {
	var b strings.Builder
	for _, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if lit, ok := q.(*syntax.Lit); ok {
					b.WriteString(lit.Value)
				} else {
					printNode(&b, q)
				}
			}
		default:
			printNode(&b, part)
		}
	}
	return b.String()
}

func printNode(b *strings.Builder, n syntax.Node) {
	_ = syntax.NewPrinter().Print(b, n)
}

// tools are the programs whose commands build or install something; the Dockerfile may run them
// only as the test command does.
var tools = map[string]bool{"npm": true, "npx": true, "node": true, "yarn": true, "pnpm": true, "go": true, "mage": true}

// toolStep is a tool command in canonical form, or "" for any other command. Options are dropped,
// since they change how a command reports, not what it builds (npm ci --no-audit is npm ci; go
// run mage.go -v build:linux is go run mage.go build:linux), and so are an npm script's own
// arguments (npm run test:ci -- --maxWorkers 2 is npm run test:ci).
func toolStep(words []string) string {
	if len(words) == 0 || !tools[words[0]] {
		return ""
	}
	var kept []string
	for _, w := range words {
		if !strings.HasPrefix(w, "-") {
			kept = append(kept, w)
		}
	}
	if kept[0] == "npm" && len(kept) >= 3 && kept[1] == "run" {
		return strings.Join(kept[:3], " ")
	}
	return strings.Join(kept, " ")
}
